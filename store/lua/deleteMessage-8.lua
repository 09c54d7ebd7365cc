--[[
Retention: deletes one stored message and every index entry that names it,
and asks the ingester to delete its IMAP copies. An index entry is removed
only while it still names this message (another mail may have taken the
Message-ID or UID since).
KEYS: 1 message hash, 2 byMessageId, 3 byUid, 4 all, 5 quarantine, 6 retention due, 7 IMAP deletions, 8 pending intake
ARGV: 1 id, 2 normalised Message-ID ('' none), 3 uid key ('' none), 4.. what the ingester deletes in IMAP
      (the Message-ID as received, or a copy's folder/UID for mail without one)
]]
if ARGV[2] ~= '' and redis.call('HGET', KEYS[2], ARGV[2]) == ARGV[1] then redis.call('HDEL', KEYS[2], ARGV[2]) end
if ARGV[3] ~= '' and redis.call('HGET', KEYS[3], ARGV[3]) == ARGV[1] then redis.call('HDEL', KEYS[3], ARGV[3]) end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[4], ARGV[1])
redis.call('ZREM', KEYS[5], ARGV[1])
redis.call('ZREM', KEYS[6], ARGV[1])
redis.call('ZREM', KEYS[8], ARGV[1])
for i = 4, #ARGV do redis.call('SADD', KEYS[7], ARGV[i]) end
return 1
