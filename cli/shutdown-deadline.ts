/**
 * Draining has a deadline: a desk whose Redis (or IMAP, or SMTP) is gone can
 * wait forever for its workers to close. Past the deadline the process exits
 * 1 without finishing; the jobs it held keep their locks only until they
 * expire, and the other processes take them up as stalled jobs.
 */
export async function drainWithin(seconds: number, drain: () => Promise<void>, onTimeout: () => void): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), seconds * 1000);
  });
  const outcome = await Promise.race([drain().then(() => 'drained' as const), deadline]);
  clearTimeout(timer);
  if (outcome === 'late') {
    onTimeout();
    process.exit(1);
  }
}
