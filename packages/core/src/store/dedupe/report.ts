import type { DedupeConflict, DedupeCluster } from './dedupeFaces.js';

/** What a report is made of: a completed job's clusters and conflicts. */
export interface DedupeFindings {
  threshold: number;
  clusters: readonly DedupeCluster[];
  conflicts: readonly DedupeConflict[];
}

/** One row a reviewer works through. */
export interface DedupeReportRow {
  /** `C1`, `C2`… for face clusters, `K1`… for card conflicts. */
  case: string;
  proposal: 'face-cluster' | 'card-conflict';
  ids: string[];
  minScore: number;
  maxScore: number;
  why: string;
}

const fmt = (v: number) => v.toFixed(4);

/** The findings as review rows, clusters first (largest score first), then conflicts. */
export function dedupeReportRows(f: DedupeFindings): DedupeReportRow[] {
  const clusters = [...f.clusters].sort(
    (a, b) => b.maxScore - a.maxScore || (a.ids[0] as string).localeCompare(b.ids[0] as string),
  );
  const rows: DedupeReportRow[] = clusters.map((c, i) => ({
    case: `C${i + 1}`,
    proposal: 'face-cluster',
    ids: c.ids,
    minScore: c.minScore,
    maxScore: c.maxScore,
    why: `faces match at or above ${f.threshold}${c.pairs.some((p) => p.z !== undefined) ? ' (z: normalised score)' : ''}: ${c.pairs
      .map(
        (p) =>
          `${p.a}~${p.b} ${fmt(p.score)}${p.z === undefined ? '' : ` z ${p.z.toFixed(2)}`}${p.via === undefined ? '' : ` (both match ${p.via})`}`,
      )
      .join('; ')}`,
  }));
  for (const [i, c] of f.conflicts.entries()) {
    rows.push({
      case: `K${i + 1}`,
      proposal: 'card-conflict',
      ids: [...c.ids],
      minScore: c.faceScore,
      maxScore: c.faceScore,
      why: `${c.reason === 'same-old-id-number' ? 'same old CMND number' : 'same name and date of birth'} but faces differ (${fmt(c.faceScore)} < ${f.threshold})`,
    });
  }
  return rows;
}

const csvField = (s: string) => (/[",\n\r]/.test(s) || /^[=+\-@]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/**
 * CSV for reviewers: `case,proposal,ids,min_score,max_score,why,decision` (the `decision` column is
 * left blank to be filled in). ID numbers and scores only — no names, no biometrics.
 */
export function dedupeReportCsv(f: DedupeFindings): string {
  const lines = ['case,proposal,ids,min_score,max_score,why,decision'];
  for (const r of dedupeReportRows(f)) {
    lines.push(
      [r.case, r.proposal, r.ids.join(' '), fmt(r.minScore), fmt(r.maxScore), r.why, ''].map(csvField).join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A self-contained HTML page of the same rows (no scripts, no external resources). */
export function dedupeReportHtml(f: DedupeFindings): string {
  const rows = dedupeReportRows(f)
    .map(
      (r) =>
        `<tr><td>${esc(r.case)}</td><td>${esc(r.proposal)}</td><td>${r.ids.map(esc).join('<br>')}</td><td>${fmt(r.minScore)}</td><td>${fmt(r.maxScore)}</td><td>${esc(r.why)}</td><td></td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Account deduplication review</title>
<style>body{font:14px sans-serif}table{border-collapse:collapse}td,th{border:1px solid #999;padding:4px;vertical-align:top}</style></head>
<body><h1>Account deduplication review</h1>
<p>Threshold ${esc(String(f.threshold))}. ${f.clusters.length} face clusters, ${f.conflicts.length} card conflicts. Nothing has been merged: record each decision with <code>recordDedupeDecision</code>.</p>
<table><thead><tr><th>Case</th><th>Proposal</th><th>ID numbers</th><th>Min score</th><th>Max score</th><th>Why</th><th>Decision</th></tr></thead>
<tbody>
${rows}
</tbody></table></body></html>
`;
}
