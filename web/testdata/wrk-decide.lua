-- Load for POST /api/v1/decide, for wrk on loopback:
--   rhythm serve --addr 127.0.0.1:18080 --db /tmp/load.db --log-level warn &
--   wrk -t1 -c16 -d10s --latency -s web/testdata/wrk-decide.lua http://127.0.0.1:18080/api/v1/decide
-- Each request is one of a few interactions, so the answers differ.
local bodies = {
  '{"purpose":"brainstorm","stakeholders":6,"zones":3,"ambiguity":"high","urgency":"3d","relationship":"low"}',
  '{"purpose":"status update","stakeholders":7,"zones":4,"ambiguity":"low","urgency":"days","relationship":"low"}',
  '{"purpose":"incident","stakeholders":5,"zones":2,"urgency":"1h"}',
  '{"purpose":"1:1","urgency":"week"}',
  '{"purpose":"announcement","stakeholders":40,"zones":5}',
}
local i = 0
request = function()
  i = i % #bodies + 1
  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, bodies[i])
end
