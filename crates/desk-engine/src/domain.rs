//! Pure rules: functions over values, the clock passed in. No store, no IO.

pub mod email;
pub mod number;
pub mod password;
pub mod permission;
pub mod routing;
pub mod template;
pub mod text;
pub mod time;
pub mod visibility;
pub mod workflow;
