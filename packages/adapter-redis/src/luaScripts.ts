import { ticketTransitions } from '@smart-citizen/queue';

/**
 * Lua scripts run by Redis atomically (one script at a time per server), which is what makes
 * issue, call-next and every lifecycle step safe across kiosks and counters on several
 * machines. Numbers are written with `%.17g` so that scores and times round-trip exactly.
 * Key layout under the prefix P:
 *   P seq, P callseq                       counters (INCR)
 *   P t:<id>                               hash: one ticket
 *   P w:<service>, P wt:<service>          zsets of waiting tickets by score / by enqueuedAt
 *   P wc:<service>                         hash "group|priority" → waiting count
 *   P fair:<service>, P fairmax:<service>  weighted-interleave tags
 *   P series:<service>:<key>               number series
 *   P all                                  zset of every ticket by issuedAt
 *   P appts                                hash appointment id → ticket id
 *   P handling:<service>                   list of recent handling times (newest first)
 *   P services, P open                     sets of service ids and open counters
 *   P eventlog                             stream of events (at most about EVENT_LOG_LENGTH)
 *   P events                               pub/sub channel (the same events, with their stream id)
 * @internal
 */
/** Events kept in the stream (`XADD … MAXLEN ~`): a board away for longer misses the oldest. */
export const EVENT_LOG_LENGTH = 100_000;

const preamble = `
local P = ARGV[1]
local function num(x) return string.format('%.17g', x) end
local function enqueue(id, svc, score, enq, group, prio)
  redis.call('ZADD', P..'w:'..svc, num(score), id)
  redis.call('ZADD', P..'wt:'..svc, num(enq), id)
  redis.call('HINCRBY', P..'wc:'..svc, group..'|'..prio, 1)
end
local function dequeue(id, svc, group, prio)
  redis.call('ZREM', P..'w:'..svc, id)
  redis.call('ZREM', P..'wt:'..svc, id)
  redis.call('HINCRBY', P..'wc:'..svc, group..'|'..prio, -1)
end
local function scoreFor(svc, group, prio, weight, enq, kind, agingMs)
  if kind == 'weighted-interleave' then
    local head = redis.call('ZRANGE', P..'w:'..svc, 0, 0, 'WITHSCORES')
    local mx = tonumber(redis.call('GET', P..'fairmax:'..svc) or '0')
    local v = mx
    if head[2] then v = tonumber(head[2]) end
    local last = redis.call('HGET', P..'fair:'..svc, group)
    if last and tonumber(last) > v then v = tonumber(last) end
    local tag = v + 1 / weight
    redis.call('HSET', P..'fair:'..svc, group, num(tag))
    if tag > mx then redis.call('SET', P..'fairmax:'..svc, num(tag)) end
    return tag
  elseif kind == 'strict-priority' then
    return enq - prio * 1e13
  elseif kind == 'aging' then
    return enq - prio * agingMs
  end
  return enq
end
local function publish(ev)
  -- The stream is written in the same script as the change (atomic, persisted alike): a reader
  -- that was away reads on from its last id. PUBLISH stays for plain pub/sub consumers.
  ev.id = redis.call('XADD', P..'eventlog', 'MAXLEN', '~', '${EVENT_LOG_LENGTH}', '*', 'e', cjson.encode(ev))
  redis.call('PUBLISH', P..'events', cjson.encode(ev))
end
`;

/** ARGV: P, service, prefix, digits, seriesKey, group, priority, weight, kind, agingMs, now, enqueuedAt, appointmentId|'' */
export const issueLua = `${preamble}
local svc, pfx, digits, skey, group = ARGV[2], ARGV[3], tonumber(ARGV[4]), ARGV[5], ARGV[6]
local prio, weight, kind, agingMs = tonumber(ARGV[7]), tonumber(ARGV[8]), ARGV[9], tonumber(ARGV[10])
local now, enq, appt = tonumber(ARGV[11]), tonumber(ARGV[12]), ARGV[13]
local seq = tonumber(redis.call('GET', P..'seq') or '0') + 1
local id = string.format('%012d', seq)
if appt ~= '' then
  if redis.call('HSETNX', P..'appts', appt, id) == 0 then return redis.error_reply('QUEUE_APPOINTMENT_DUPLICATE') end
end
redis.call('SET', P..'seq', seq)
local n = redis.call('INCR', P..'series:'..svc..':'..skey)
local mod = math.pow(10, digits) - 1
local number = pfx .. string.format('%0'..digits..'d', ((n - 1) % mod) + 1)
local score = scoreFor(svc, group, prio, weight, enq, kind, agingMs)
local key = P..'t:'..id
redis.call('HSET', key, 'id', id, 'number', number, 'serviceId', svc, 'groupId', group, 'status', 'waiting',
  'seq', seq, 'priority', num(prio), 'weight', num(weight), 'score', num(score), 'issuedAt', num(now),
  'enqueuedAt', num(enq), 'recalls', 0, 'transfers', 0)
if appt ~= '' then redis.call('HSET', key, 'appointmentId', appt) end
enqueue(id, svc, score, enq, group, num(prio))
redis.call('ZADD', P..'all', num(now), id)
redis.call('SADD', P..'services', svc)
publish({ type = 'ticket.issued', at = now, ticketId = id, number = number, serviceId = svc })
return redis.call('HGETALL', key)
`;

/** ARGV: P, counterId, mode, bound|'', now, service... */
export const callNextLua = `${preamble}
local counter, mode, bound, now = ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5])
local pickId, pickSvc, pickKey
local function better(key, id) return pickId == nil or key < pickKey or (key == pickKey and id < pickId) end
if bound ~= '' then
  bound = tonumber(bound)
  for i = 6, #ARGV do
    local h = redis.call('ZRANGE', P..'wt:'..ARGV[i], 0, 0, 'WITHSCORES')
    if h[1] then
      local k = tonumber(h[2])
      if now - k >= bound and better(k, h[1]) then pickId, pickSvc, pickKey = h[1], ARGV[i], k end
    end
  end
end
if pickId == nil then
  for i = 6, #ARGV do
    local h = redis.call('ZRANGE', P..'w:'..ARGV[i], 0, 0, 'WITHSCORES')
    if h[1] then
      local k = tonumber(h[2])
      if mode == 'ordered' then
        pickId, pickSvc, pickKey = h[1], ARGV[i], k
        break
      end
      if better(k, h[1]) then pickId, pickSvc, pickKey = h[1], ARGV[i], k end
    end
  end
end
if pickId == nil then return false end
local key = P..'t:'..pickId
local f = redis.call('HMGET', key, 'groupId', 'priority', 'number')
dequeue(pickId, pickSvc, f[1], f[2])
local cs = redis.call('INCR', P..'callseq')
redis.call('HSET', key, 'status', 'called', 'counterId', counter, 'calledAt', num(now), 'callSeq', cs)
publish({ type = 'ticket.called', at = now, ticketId = pickId, number = f[3], serviceId = pickSvc, counterId = counter })
return redis.call('HGETALL', key)
`;

function luaTransitions(): string {
  const rows = Object.entries(ticketTransitions).map(
    ([action, r]) =>
      `['${action}'] = { from = { ${r.from.map((s) => `['${s}'] = true`).join(', ')} }, to = '${r.to}', event = '${r.event}' }`,
  );
  return `local RULES = {\n  ${rows.join(',\n  ')}\n}`;
}

/** ARGV: P, action, id, now, counterId|'', toServiceId|'', kind|'', agingMs|'', keepSamples */
export const transitionLua = `${preamble}
${luaTransitions()}
local action, id, now, counter, toSvc = ARGV[2], ARGV[3], tonumber(ARGV[4]), ARGV[5], ARGV[6]
local kind, agingMs, keep = ARGV[7], tonumber(ARGV[8]) or 0, tonumber(ARGV[9])
local key = P..'t:'..id
local rule = RULES[action]
if rule == nil then return redis.error_reply('QUEUE_BAD_ACTION') end
local st = redis.call('HGET', key, 'status')
if not st then return redis.error_reply('QUEUE_NOT_FOUND') end
if not rule.from[st] then return redis.error_reply('QUEUE_INVALID_TRANSITION '..st) end
local f = redis.call('HMGET', key, 'serviceId', 'groupId', 'priority', 'weight', 'enqueuedAt', 'servingAt', 'number', 'counterId', 'score')
local svc, group, prio = f[1], f[2], f[3]
if st == 'waiting' then dequeue(id, svc, group, prio) end
local score = tonumber(f[9])
local ev = { type = rule.event, at = now, ticketId = id, number = f[7], serviceId = svc }
if action == 'start' then
  redis.call('HSET', key, 'servingAt', num(now))
  if counter ~= '' then redis.call('HSET', key, 'counterId', counter) end
elseif action == 'complete' then
  redis.call('HSET', key, 'doneAt', num(now))
  local served = tonumber(f[6]) or now
  redis.call('LPUSH', P..'handling:'..svc, num(now - served))
  redis.call('LTRIM', P..'handling:'..svc, 0, keep - 1)
elseif action == 'recall' then
  redis.call('HINCRBY', key, 'recalls', 1)
  redis.call('HSET', key, 'calledAt', num(now))
elseif action == 'transfer' then
  ev.fromServiceId = svc
  svc = toSvc
  ev.serviceId = svc
  score = scoreFor(svc, group, tonumber(prio), tonumber(f[4]), tonumber(f[5]), kind, agingMs)
  redis.call('HSET', key, 'serviceId', svc, 'score', num(score))
  redis.call('HINCRBY', key, 'transfers', 1)
  redis.call('SADD', P..'services', svc)
end
redis.call('HSET', key, 'status', rule.to)
if rule.to == 'waiting' then enqueue(id, svc, score, tonumber(f[5]), group, prio) end
local c = redis.call('HGET', key, 'counterId')
if c then ev.counterId = c end
publish(ev)
return redis.call('HGETALL', key)
`;

/** ARGV: P, counterId, open '1'|'0', now */
export const counterLua = `${preamble}
if ARGV[3] == '1' then redis.call('SADD', P..'open', ARGV[2]) else redis.call('SREM', P..'open', ARGV[2]) end
local t = 'counter.closed'
if ARGV[3] == '1' then t = 'counter.opened' end
publish({ type = t, at = tonumber(ARGV[4]), counterId = ARGV[2] })
return 1
`;

/** ARGV: P, issuedBefore, offset, limit. Returns { removed, scanned }. */
export const purgeLua = `${preamble}
local before, offset, limit = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local ids = redis.call('ZRANGEBYSCORE', P..'all', '-inf', '('..num(before), 'LIMIT', offset, limit)
local removed = 0
for _, id in ipairs(ids) do
  local key = P..'t:'..id
  local f = redis.call('HMGET', key, 'status', 'appointmentId')
  if f[1] == 'done' or f[1] == 'no-show' then
    redis.call('DEL', key)
    redis.call('ZREM', P..'all', id)
    if f[2] then redis.call('HDEL', P..'appts', f[2]) end
    removed = removed + 1
  end
end
return { removed, #ids }
`;
