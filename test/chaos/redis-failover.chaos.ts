/**
 * `npm run chaos`: the long forms of the Redis failover tests:
 * more partner mail through the master kill and the partition, and the frozen
 * master killed only a minute after Sentinel's promotion. Same scenario as
 * the short forms in `npm test`, selected by FAILOVER_CASES=long.
 */
process.env.FAILOVER_CASES = 'long';
await import('../faults/redis-failover.test.js');
