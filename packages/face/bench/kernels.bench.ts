/**
 * Per-kernel compute ceiling of the browser build: one Conv+Relu layer at a time (the layer
 * shapes that dominate the face models), timed in onnxruntime-node (native, AVX-512/FMA here)
 * and in onnxruntime-web (WASM SIMD128) in Node and in headless Chromium with 1 and 2 threads.
 *
 * Each layer is timed twice: as a one-layer model (what a call costs, with copying the input in
 * and allocating and filling the output typed array), and chained `depth` times; the difference
 * divided by depth − 1 is the kernel alone. The ratio web/node of the kernel alone is the
 * ceiling for how close the browser pipeline can get to Node.
 */
import { fork } from 'node:child_process';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Cell, defineBench, percentile } from '@smart-citizen/bench';
import { chromiumArgs, chromiumPath } from '@smart-citizen/test-kit';
import type { KernelsNodeRequest, KernelsNodeResult, LayerTiming, NodeTiming, Warmup } from './kernelsNode.js';
import type { KernelsPageOptions, KernelsPageResult } from './kernelsPage.js';
import { bundleForBrowser, servePage } from '../test/browser/servePage.js';
import { type ConvLayer, convFlops } from './onnxLayer.js';

const here = dirname(fileURLToPath(import.meta.url));

const layers: ConvLayer[] = [
  { name: 'pw 32→32 @120×160', cin: 32, cout: 32, h: 120, w: 160, k: 1, group: 1 },
  { name: 'pw 64→64 @60×80', cin: 64, cout: 64, h: 60, w: 80, k: 1, group: 1 },
  { name: 'dw3×3 64 @120×160', cin: 64, cout: 64, h: 120, w: 160, k: 3, group: 64 },
  { name: '3×3 64→64 @28×28', cin: 64, cout: 64, h: 28, w: 28, k: 3, group: 1 },
  { name: '3×3 128→128 @14×14', cin: 128, cout: 128, h: 14, w: 14, k: 3, group: 1 },
];

const r2 = (v: number) => Math.round(v * 100) / 100;
const load = () => loadavg().map(r2) as [number, number, number];

/**
 * glibc setting for the Node child: with the default dynamic mmap threshold, the per-run output
 * buffers (2.4–4.9 MB here) are now and then mmapped fresh and unmapped again, and on this VM the
 * ~600–1200 page faults that follow cost 3–9 ms a run, in one session and not in the next. A fixed
 * 32 MiB threshold (and no trimming) keeps them in the heap, so the runs measure the kernels.
 */
const glibcTunables = 'glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=268435456';

/** Time the layers in a child process (one per backend), started with {@link glibcTunables}. */
function timeInNode(req: KernelsNodeRequest): Promise<{ timings: LayerTiming<NodeTiming>[]; busy: number[] }> {
  const child = fork(join(here, 'kernelsNode.ts'), [], {
    env: { ...process.env, GLIBC_TUNABLES: glibcTunables },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    let result: KernelsNodeResult | undefined;
    child.once('message', (m) => {
      result = m as KernelsNodeResult;
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (result?.ok) resolve(result);
      else reject(new Error(result ? result.error : `kernelsNode.ts exited with code ${code} and no result`));
    });
    child.send(req);
  });
}

interface ChromiumRun {
  result?: KernelsPageResult;
  error?: string;
  /** Warnings and errors the page printed (e.g. onnxruntime-web falling back to one thread). */
  console: string[];
}

/** Run the page once per thread count in one headless Chromium, served cross-origin isolated. */
async function timeInChromium(
  executable: string,
  threadCounts: number[],
  depth: number,
  warmup: Warmup,
  runs: number,
): Promise<Map<number, ChromiumRun>> {
  const server = await servePage(await bundleForBrowser(join(here, 'kernelsPage.ts')));
  const base = server.base;
  const out = new Map<number, ChromiumRun>();
  const { chromium } = await import('playwright-core');
  const browser = await chromium
    .launch({
      executablePath: executable,
      args: [...chromiumArgs, '--enable-features=WebMachineLearningNeuralNetwork'],
    })
    .catch((err: unknown) => {
      server.close();
      throw err;
    });
  try {
    for (const threads of threadCounts) {
      const run: ChromiumRun = { console: [] };
      out.set(threads, run);
      // A fresh page per thread count: onnxruntime-web fixes numThreads when its WASM starts.
      const page = await browser.newPage();
      page.on('console', (m) => {
        if (m.type() === 'warning' || m.type() === 'error') run.console.push(`${m.type()}: ${m.text()}`);
      });
      page.on('response', (r) => {
        if (r.status() >= 400) run.console.push(`HTTP ${r.status()} ${new URL(r.url()).pathname}`);
      });
      try {
        await page.goto(`${base}/`);
        await page.waitForFunction(() => 'kernelsHarness' in globalThis, undefined, { timeout: 60_000 });
        const options: KernelsPageOptions = { layers, depth, threads, warmup: warmup.runs, warmupMs: warmup.ms, runs };
        run.result = (await page.evaluate(
          (o) =>
            (
              globalThis as unknown as { kernelsHarness: { run: (x: typeof o) => Promise<unknown> } }
            ).kernelsHarness.run(o),
          options,
        )) as KernelsPageResult;
      } catch (err) {
        run.error = err instanceof Error ? err.message : String(err);
      } finally {
        await page.close();
      }
    }
  } finally {
    await browser.close();
    server.close();
  }
  return out;
}

export const bench = defineBench({
  name: 'face-kernels',
  pkg: 'face',
  description:
    'one Conv+Relu layer at a time (1×1, depthwise 3×3, 3×3): onnxruntime-node vs onnxruntime-web WASM (in Node, and in headless Chromium with 1 and 2 threads); ms, GFLOP/s, web/node ratio',
  async run(ctx) {
    const warmup: Warmup = ctx.quick ? { runs: 5, ms: 300 } : { runs: 10, ms: 1000 };
    const runs = ctx.quick ? 15 : 50;
    const depth = 4;
    const loadBefore = load();
    const notes: string[] = [];

    ctx.progress('onnxruntime-node, 1 thread');
    const nodeRun = await timeInNode({ backend: 'node', layers, depth, warmup, runs });
    ctx.progress('onnxruntime-web in Node, 1 thread');
    const webRun = await timeInNode({ backend: 'web', layers, depth, warmup, runs });
    const [node, web] = [nodeRun.timings, webRun.timings];
    const busy = [...nodeRun.busy, ...webRun.busy];

    const executable = chromiumPath();
    const threadCounts = [1, 2];
    let chromium = new Map<number, ChromiumRun>();
    if (executable) {
      ctx.progress(`headless Chromium, onnxruntime-web with ${threadCounts.join(' and ')} threads`);
      chromium = await timeInChromium(executable, threadCounts, depth, warmup, runs);
    } else {
      notes.push('Chromium is not available (set CHROMIUM_PATH): the Chromium columns were skipped.');
    }
    const loadAfter = load();

    /** Per-layer medians of one environment: one-layer model and chain. */
    const envs: Record<string, (LayerTiming<number> | null)[]> = {
      node: node.map((t) => ({ one: t.one.cpuMs, deep: t.deep.cpuMs })),
      web: web.map((t) => ({ one: t.one.cpuMs, deep: t.deep.cpuMs })),
    };
    for (const t of threadCounts) {
      envs[`c${t}`] = layers.map((_, i) => {
        const r = chromium.get(t)?.result?.layers[i];
        return r ? { one: percentile(r.one, 50), deep: percentile(r.deep, 50) } : null;
      });
    }
    const kernel = (env: string, i: number): number | null => {
      const t = envs[env]?.[i];
      return t ? (t.deep - t.one) / (depth - 1) : null;
    };
    const single = (env: string, i: number): number | null => envs[env]?.[i]?.one ?? null;
    const ms = (v: number | null) => (v === null ? null : r2(v));
    const gflops = (flop: number, v: number | null) => (v === null || v <= 0 ? null : r2(flop / v / 1e6));
    const ratio = (a: number | null, b: number | null) => (a === null || b === null || b <= 0 ? null : r2(a / b));
    const sum = (values: (number | null)[]) =>
      values.some((v) => v === null) ? null : values.reduce<number>((a, v) => a + (v as number), 0);

    const table = (pick: (env: string, i: number) => number | null): Record<string, Cell>[] => {
      const rows = layers.map((l, i) => ({ l, flop: convFlops(l), at: (env: string) => pick(env, i) }));
      const all = {
        l: { name: 'all five' } as ConvLayer,
        flop: sum(rows.map((r) => r.flop)) as number,
        at: (env: string) => sum(rows.map((r) => r.at(env))),
      };
      return [...rows, all].map(({ l, flop, at }) => ({
        layer: l.name,
        MFLOP: r2(flop / 1e6),
        'node CPU ms': ms(at('node')),
        'web-in-Node CPU ms': ms(at('web')),
        'Chromium 1t wall ms': ms(at('c1')),
        'Chromium 2t wall ms': ms(at('c2')),
        'node GFLOP/s': gflops(flop, at('node')),
        'web-in-Node GFLOP/s': gflops(flop, at('web')),
        'Chromium 1t GFLOP/s': gflops(flop, at('c1')),
        'web-in-Node/node': ratio(at('web'), at('node')),
        'Chromium 1t/node': ratio(at('c1'), at('node')),
      }));
    };

    const pageRows: Record<string, Cell>[] = [...chromium.entries()].map(([threads, r]) => ({
      'threads asked': threads,
      'numThreads in page': r.result?.numThreads ?? null,
      crossOriginIsolated: r.result?.crossOriginIsolated ?? null,
      'user agent': r.result?.userAgent ?? null,
      error: r.error ?? null,
    }));
    for (const [threads, r] of chromium) {
      if (r.error) notes.push(`Chromium ${threads} thread(s) failed: ${r.error}`);
      else if (r.result && r.result.numThreads !== threads)
        notes.push(
          `Chromium asked for ${threads} thread(s) but onnxruntime-web ran ${r.result.numThreads} (crossOriginIsolated=${r.result.crossOriginIsolated}).`,
        );
      if (r.console.length > 0) notes.push(`Chromium ${threads}t console: ${r.console.join(' | ')}`);
    }
    const webnn = chromium.get(1)?.result?.webnn;
    if (webnn) notes.push(`WebNN (Chromium with --enable-features=WebMachineLearningNeuralNetwork): ${webnn}`);
    notes.push(
      `Kernel alone = (median of the ${depth}-layer chain − median of the one-layer model) / ${depth - 1}; ` +
        'a one-layer run also copies the input into the runtime and allocates and fills a new output typed array. ' +
        `Medians over ${runs} runs after at least ${warmup.runs} warm-up runs and ${warmup.ms} ms of warm-up per model; ` +
        'input 1×cin×h×w float32, "same" padding, opset 11, graph optimisation \'all\'. ' +
        'Node columns: process CPU time (process.cpuUsage; 1 intra-op thread, spinning off); Chromium columns: wall time (performance.now) in the page. ' +
        'GFLOP/s counts a multiply-add as 2 FLOP (bias and Relu not counted).',
    );
    const negative = Object.entries(envs).flatMap(([env, ts]) =>
      ts.flatMap((t, i) => (t && t.deep <= t.one ? [`${env} ${layers[i]?.name}`] : [])),
    );
    if (negative.length > 0)
      notes.push(
        `The chain was not slower than one layer for ${negative.join(', ')}: noise larger than the kernel there (kernel ms ≤ 0, GFLOP/s left out).`,
      );
    const noisy = layers.filter((_, i) =>
      [node[i], web[i]].some((t) => t !== undefined && [t.one, t.deep].some((m) => m.cpuMs > 1.2 * m.wallMs + 0.05)),
    );
    notes.push(
      `Before timing each model in Node the process waited until it was idle (busy fraction of the last 100 ms: max ${Math.max(...busy)}); ` +
        (noisy.length > 0
          ? `CPU exceeded wall time by >20% for ${noisy.map((l) => l.name).join(', ')}: other threads of the process were busy, those CPU figures are high.`
          : 'CPU median ≤ 1.2 × wall median for every model (no other busy thread in the process).'),
    );
    const faults = [...node, ...web].flatMap((t) => [t.one.faults, t.deep.faults]);
    notes.push(
      `Node runs in a child process per backend with GLIBC_TUNABLES=${glibcTunables}, so per-run output buffers are reused rather than mmapped anew (median minor page faults per run: max ${Math.max(...faults)}). ` +
        'Chromium cannot be set so: its one-layer figures include allocating a fresh output ArrayBuffer each run (onnxruntime-web copies every CPU output into a new typed array); the chain difference cancels it.',
    );
    notes.push(
      `Load average (1/5/15 min) before: ${loadBefore.join(', ')}; after: ${loadAfter.join(', ')} on a 2-core machine; wall figures (Chromium) are the noisier ones.`,
    );

    return {
      tables: [
        {
          title: `Kernel alone (chain of ${depth} minus one layer), median ms per layer and GFLOP/s`,
          rows: table(kernel),
        },
        { title: 'One-layer model per run (kernel + input copy + output allocation), median ms', rows: table(single) },
        ...(pageRows.length > 0 ? [{ title: 'Chromium pages', rows: pageRows }] : []),
      ],
      notes,
      data: {
        depth,
        warmup,
        runs,
        idleBeforeTiming: busy,
        loadAverage: { before: loadBefore, after: loadAfter },
        layers: layers.map((l, i) => ({
          ...l,
          flop: convFlops(l),
          node: node[i],
          webInNode: web[i],
          chromiumWallMs: Object.fromEntries(
            [...chromium.entries()].map(([t, r]) => [`${t}t`, r.result?.layers[i] ?? null]),
          ),
        })),
        chromium: Object.fromEntries(
          [...chromium.entries()].map(([t, r]) => [
            `${t}t`,
            {
              error: r.error ?? null,
              console: r.console,
              userAgent: r.result?.userAgent ?? null,
              crossOriginIsolated: r.result?.crossOriginIsolated ?? null,
              numThreads: r.result?.numThreads ?? null,
              webnn: r.result?.webnn ?? null,
            },
          ]),
        ),
      },
    };
  },
});
