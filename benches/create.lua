-- wrk script: every request creates a ticket as the token's identity (benches/load.sh).
-- Every answer is checked: a status other than 201 is counted, and the number of each
-- created ticket is kept; at the end all of them go to $NUMBERS_FILE, one per line, for
-- load.sh to find in the store ("nothing lost").
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")

local threads = {}
function setup(thread)
  table.insert(threads, thread)
end

local n = 0
numbers = {}
failed = 0

request = function()
  n = n + 1
  local body = string.format('{"title":"load %d %d","queue":"Level 1"}', math.random(1e9), n)
  return wrk.format(nil, nil, nil, body)
end

response = function(status, headers, body)
  local number = body:match('"number":"([^"]+)"')
  if status ~= 201 or number == nil then
    failed = failed + 1
  else
    numbers[#numbers + 1] = number
  end
end

done = function(summary, latency, requests)
  local out = assert(io.open(os.getenv("NUMBERS_FILE"), "w"))
  local failures = 0
  for _, t in ipairs(threads) do
    for _, number in ipairs(t:get("numbers")) do
      out:write(number, "\n")
    end
    failures = failures + t:get("failed")
  end
  out:close()
  print(string.format("answers other than 201 Created: %d", failures))
end
