// What the test harness does with processes it knows by pid (it started them detached, or a
// run before it did): whether one still runs, and a blocking pause while it waits on one.

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Blocks the thread (setup and teardown code is synchronous). */
export function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
