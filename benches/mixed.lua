-- wrk script: a mixed load of 90% list requests and 10% creates on one connection set
-- (BENCHMARKS.md, "mixed load"). Each connection draws its next request at random, so
-- creates arrive among lists as they would from a busy desk. Non-2xx answers are
-- counted and printed at the end (wrk also reports them as "Non-2xx").
local token = os.getenv("TOKEN")
local list = os.getenv("LIST_PATH") or "/api/v1/tickets?queue=Level%201&open=true&limit=50"
local n = 0

request = function()
  n = n + 1
  if math.random(10) == 1 then
    local body = string.format('{"title":"mixed %d %d","queue":"Level 1"}', math.random(1e9), n)
    return wrk.format("POST", "/api/v1/tickets", {
      ["Content-Type"] = "application/json",
      ["Authorization"] = "Bearer " .. token,
    }, body)
  end
  return wrk.format("GET", list, { ["Authorization"] = "Bearer " .. token })
end
