// Preloaded into a measured child (`node --import`): its peak RSS and when its own code began, on stderr at exit.
const loadedAt = performance.now();
process.on('exit', () => {
  process.stderr.write(`\nbench-probe max-rss-kb=${process.resourceUsage().maxRSS} preload-ms=${loadedAt.toFixed(1)}\n`);
});
