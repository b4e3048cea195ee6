#!/usr/bin/env node
// Link check of the built docs site (build/docs): every page, every link and image that stays
// on the site must answer. External links are not fetched (CI has no general network); they
// are listed by count. Uses linkinator, which serves the folder and crawls it.
import { LinkChecker } from 'linkinator';

const checker = new LinkChecker();
const result = await checker.check({
  path: 'build/docs',
  recurse: true,
  concurrency: 8,
  linksToSkip: (url) => Promise.resolve(!/^https?:\/\/(localhost|127\.0\.0\.1)(:\d+)?\//.test(url)),
});
const broken = result.links.filter((l) => l.state === 'BROKEN');
const ok = result.links.filter((l) => l.state === 'OK').length;
const skipped = result.links.filter((l) => l.state === 'SKIPPED').length;
for (const l of broken) console.error(`BROKEN ${l.status ?? ''} ${l.url}  (on ${l.parent})`);
console.log(`docs links: ${ok} ok, ${broken.length} broken, ${skipped} external (not fetched)`);
process.exit(broken.length ? 1 : 0);
