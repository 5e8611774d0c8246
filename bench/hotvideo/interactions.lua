-- wrk script: many users send views, shares and likes to ONE video.
-- Reads tokens (one per line) from the file named by env FLICK_TOKENS and the video id from
-- FLICK_VIDEO. Mix: 90 % views, 8 % shares, 2 % likes (each user likes at most once, so the like
-- count to expect is the number of likes answered with "changed":true).
local tokens = {}
for line in io.lines(os.getenv("FLICK_TOKENS")) do tokens[#tokens + 1] = line end
local video = os.getenv("FLICK_VIDEO")
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  views, shares, likes, liked, errors, counter = 0, 0, 0, 0, 0, 0
end

local body = '{"watchMs":4000,"completed":true}'

function request()
  counter = counter + 1
  local token = tokens[(counter * 7 + id * 13) % #tokens + 1]
  local r = counter % 50
  local path, payload
  if r == 0 then
    path, payload = "/api/v1/videos/" .. video .. "/like", ""
  elseif r < 5 then
    path, payload = "/api/v1/videos/" .. video .. "/share", ""
  else
    path, payload = "/api/v1/videos/" .. video .. "/views", body
  end
  return wrk.format("POST", path, {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json"
  }, payload)
end

-- responses are told apart by their bodies (connections answer in any order)
function response(status, headers, resp_body)
  if status == 202 and string.find(resp_body, '"counted"', 1, true) then views = views + 1
  elseif status == 202 and string.find(resp_body, '"shared"', 1, true) then shares = shares + 1
  elseif status == 200 and string.find(resp_body, '"liked"', 1, true) then
    likes = likes + 1
    if string.find(resp_body, '"changed":true', 1, true) then liked = liked + 1 end
  else errors = errors + 1 end
end

function done(summary, latency, requests)
  local v, s, l, c, e = 0, 0, 0, 0, 0
  for _, t in ipairs(threads) do
    v = v + t:get("views"); s = s + t:get("shares"); l = l + t:get("likes")
    c = c + t:get("liked"); e = e + t:get("errors")
  end
  io.write(string.format("ACCEPTED views=%d shares=%d likes=%d liked=%d errors=%d\n", v, s, l, c, e))
end
