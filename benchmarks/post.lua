-- wrk script: POST the report in $REPORT as application/json.
local file = io.open(os.getenv("REPORT"), "rb")
wrk.method = "POST"
wrk.body = file:read("*a")
file:close()
wrk.headers["Content-Type"] = "application/json"
