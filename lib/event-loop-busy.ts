/**
 * How long the desk's event loop kept the CPU without yielding: the main
 * thread's CPU time (utime + stime of /proc/self/task/PID/stat, 10 ms
 * ticks) between two runs of a 10 ms timer. A long synchronous task (a parse
 * on the loop, a big JSON.stringify) shows here as it does in
 * monitorEventLoopDelay's wall-clock delay; a host so loaded that the desk
 * simply waits for a core does not, since a waiting thread burns no CPU. That
 * lets a test on a shared, busy machine tell "the desk blocked its loop"
 * from "the machine was busy", which wall-clock delay alone cannot.
 *
 * Opt-in (LICENSEDESK_LOOP_MONITOR=1): exposed on /metrics as
 * licensedesk_eventloop_busy_max_seconds, the maximum since the last scrape.
 * Linux only (/proc); elsewhere the gauge is not registered.
 */
import { existsSync, readFileSync } from 'node:fs';
import { Gauge, type Registry } from 'prom-client';

const TICK_MS = 10; // USER_HZ is 100 on Linux

export function registerEventLoopBusyGauge(registry: Registry): void {
  const path = `/proc/self/task/${process.pid}/stat`;
  if (!existsSync(path)) return;
  const cpuMs = (): number => {
    const stat = readFileSync(path, 'latin1');
    // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * TICK_MS;
  };
  let last = cpuMs();
  let max = 0;
  const timer = setInterval(() => {
    const now = cpuMs();
    max = Math.max(max, now - last);
    last = now;
  }, 10);
  timer.unref();
  const gauge = new Gauge({
    name: 'licensedesk_eventloop_busy_max_seconds',
    help: 'Longest main-thread CPU time between two 10 ms timer runs since the last scrape (a blocked event loop; 10 ms resolution)',
    registers: [registry],
    collect() {
      this.set(max / 1000);
      max = 0;
    },
  });
  void gauge;
}
