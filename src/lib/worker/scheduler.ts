/**
 * "Run this soon, after the messages already waiting": a MessageChannel post is a macrotask like
 * setTimeout(0), so comlink's pending calls (pause, ping, settings) are handled first, but it is
 * not clamped to 4 ms when nested, as setTimeout is in browsers.
 */
export function messageChannelScheduler(): (task: () => void) => void {
  const channel = new MessageChannel();
  const queue: (() => void)[] = [];
  channel.port1.onmessage = () => {
    const task = queue.shift();
    task?.();
  };
  return (task) => {
    queue.push(task);
    channel.port2.postMessage(null);
  };
}
