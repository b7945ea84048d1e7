//! E-mail addresses (docs/rules.md, "E-mail addresses"): the HTML5 "valid e-mail
//! address" syntax, the one a browser's `<input type=email>` checks, so the setup file
//! and the web portal's forms agree on what an address is.
//!
//! Why this rule and not RFC 5322: that grammar allows quoted local parts, comments and
//! spaces (`"dusty at home"@x`), which no one types for a colleague and which are unsafe
//! in a mail header; HTML5's deliberate subset refuses them, and `ruth` or `dusty at
//! home`, and is short enough to read here whole. Like HTML5 it accepts a domain without
//! a dot (`ruth@intranet`), which intranet mail uses.

/// The characters HTML5 allows before the `@`.
fn local_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || ".!#$%&'*+/=?^_`{|}~-".contains(c)
}

/// One label of the domain: 1 to 63 letters, digits or hyphens, not starting or ending
/// with a hyphen.
fn label(l: &str) -> bool {
    (1..=63).contains(&l.len())
        && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && !l.starts_with('-')
        && !l.ends_with('-')
}

/// Whether `address` is a valid e-mail address in the HTML5 sense.
pub fn is_email(address: &str) -> bool {
    let Some((local, domain)) = address.split_once('@') else {
        return false;
    };
    !local.is_empty() && local.chars().all(local_char) && domain.split('.').all(label)
}

/// Why `address` is not one, for an error message; `None` if it is.
pub fn why_not_email(address: &str) -> Option<String> {
    if is_email(address) {
        return None;
    }
    let shown = crate::domain::text::one_line(address);
    Some(if !address.contains('@') {
        format!("\"{shown}\" is not an e-mail address (it has no @)")
    } else {
        format!(
            "\"{shown}\" is not an e-mail address (like name@example.com: letters, digits and .!#$%&'*+/=?^_`{{|}}~- before the @, a domain of letters, digits and hyphens after it)"
        )
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;

    #[test]
    fn ordinary_addresses_pass() {
        for ok in [
            "anna@northwind.example",
            "lisa.park+it@contoso.example",
            "o'brien@x.co",
            "ruth@intranet",
            "a@b-c.d",
            "x@1.2.3.4",
        ] {
            assert!(is_email(ok), "{ok}");
        }
    }

    #[test]
    fn what_is_not_an_address_is_refused() {
        for bad in [
            "ruth",
            "dusty at home",
            "dusty@ home",
            "@contoso.example",
            "lisa@",
            "lisa@@contoso.example",
            "lisa@contoso..example",
            "lisa@-contoso.example",
            "lisa@contoso-.example",
            "\"lisa\"@contoso.example",
            "lisa park@contoso.example",
            "lisa@contoso.example\n",
            "lisa@contoso_it.example",
            "lisä@contoso.example",
            "",
        ] {
            assert!(!is_email(bad), "{bad:?}");
        }
        assert!(is_email(&format!("a@{}", "b".repeat(63))));
        assert!(!is_email(&format!("a@{}", "b".repeat(64))));
    }

    #[test]
    fn the_reason_names_the_value() {
        assert_eq!(
            why_not_email("ruth").unwrap(),
            "\"ruth\" is not an e-mail address (it has no @)"
        );
        assert!(
            why_not_email("dusty at home@x")
                .unwrap()
                .contains("dusty at home@x")
        );
        assert_eq!(why_not_email("a@b.c"), None);
    }
}
