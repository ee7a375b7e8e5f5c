-- wrk script: POST the reports $REPORTS/r1.json … r$COUNT.json in turn, as application/json.
local bodies = {}
local i = 0
function init(args)
  local n = tonumber(os.getenv("COUNT"))
  for k = 1, n do
    local file = io.open(os.getenv("REPORTS") .. "/r" .. k .. ".json", "rb")
    bodies[k] = file:read("*a")
    file:close()
  end
  i = math.random(n)
end
function request()
  i = i % #bodies + 1
  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, bodies[i])
end
