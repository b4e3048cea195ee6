import { fileURLToPath } from 'node:url';
import { chromiumArgs, chromiumPath } from '@smart-citizen/test-kit';
import { build } from 'esbuild';
import { type Browser, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFormRegistry } from '../registry/FormRegistry.js';
import { htmlMappingFromFields } from './fillHtmlForm.js';

const executablePath = chromiumPath();

// A portal page. The first input imitates React's controlled input: React shadows `value` on
// the element to remember the last value it rendered and ignores an `input` event when the
// element's value still equals it, which is what happens when a script assigns `el.value`.
// The page mirrors every change it accepts into <output> with textContent.
const PAGE = `<!doctype html><meta charset="utf-8"><title>Cổng dịch vụ công</title>
<form id="f">
  <input name="hoTen" id="hoTen">
  <input name="ngaySinh" type="date">
  <select name="gioiTinh"><option value="">--</option><option value="1">Nam</option><option value="2">Nữ</option></select>
  <label><input type="radio" name="deNghi" value="moi">Cấp mới</label>
  <label><input type="radio" name="deNghi" value="doi">Cấp đổi</label>
  <input type="checkbox" name="dongY" value="yes">
  <textarea name="noiDungDeNghi"></textarea>
  <input name="soDinhDanh" readonly>
  <input id="by-selector">
</form>
<output id="mirror"></output><output id="events"></output>
<script>
  window.accepted = [];
  const el = document.getElementById('hoTen');
  const proto = Object.getPrototypeOf(el);
  const desc = Object.getOwnPropertyDescriptor(proto, 'value');
  let tracked = '';
  Object.defineProperty(el, 'value', {
    configurable: true,
    get() { return desc.get.call(this); },
    set(v) { tracked = String(v); desc.set.call(this, v); },
  });
  el.addEventListener('input', () => {
    const now = desc.get.call(el);
    if (now === tracked) return; // React: "value did not change", event dropped
    tracked = now;
    window.accepted.push(now);
    document.getElementById('mirror').textContent = now;
  });
  const log = (e) => { document.getElementById('events').textContent += e.type + ':' + (e.target.name || e.target.id) + ' '; };
  for (const t of ['input', 'change', 'click']) document.getElementById('f').addEventListener(t, log, true);
</script>`;

describe.skipIf(!executablePath)('fillHtmlForm in headless Chromium', () => {
  let browser: Browser;
  let page: Page;
  let bundle: string;

  beforeAll(async () => {
    const out = await build({
      entryPoints: [fileURLToPath(new URL('./fillHtmlForm.ts', import.meta.url))],
      bundle: true,
      format: 'iife',
      globalName: 'SmartCitizenForms',
      platform: 'browser',
      target: 'es2020',
      conditions: ['@smart-citizen/source'],
      write: false,
      // Node-only paths of the SDK import node:* lazily; they never run in the page.
      external: ['node:*'],
      logLevel: 'silent',
    });
    bundle = out.outputFiles[0]!.text;
    browser = await chromium.launch({ executablePath: executablePath!, args: [...chromiumArgs] });
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function open(): Promise<Page> {
    page = await browser.newPage();
    await page.setContent(PAGE);
    await page.addScriptTag({ content: bundle });
    return page;
  }

  it('fills inputs, a date, a select, a radio, a checkbox and a textarea, firing the events frameworks use', async () => {
    const p = await open();
    const result = await p.evaluate(() => {
      const api = (window as unknown as { SmartCitizenForms: typeof import('./fillHtmlForm.js') }).SmartCitizenForms;
      return api.fillHtmlForm(
        document.getElementById('f')!,
        {
          fullName: 'NGUYỄN THỊ THÚY HẰNG',
          dateOfBirth: '14/03/1999',
          sex: 'Nữ',
          request: { kind: 'Cấp đổi' },
          agree: true,
          text: 'Đăng ký thường trú',
          idNumber: '001199012345',
          other: 'x',
          missing: undefined,
        },
        {
          fullName: 'hoTen',
          dateOfBirth: 'ngaySinh',
          sex: { name: 'gioiTinh' },
          'request.kind': 'deNghi',
          agree: 'dongY',
          text: 'noiDungDeNghi',
          idNumber: 'soDinhDanh',
          other: { selector: '#by-selector' },
          missing: 'hoTen',
          nowhere: 'khongCo',
        },
      );
    });
    expect(result.filled).toEqual(['fullName', 'dateOfBirth', 'sex', 'request.kind', 'agree', 'text', 'other']);
    expect(result.skipped).toEqual([
      { path: 'idNumber', reason: 'read-only' },
      { path: 'missing', reason: 'no-value' },
      { path: 'nowhere', reason: 'no-value' },
    ]);
    const state = await p.evaluate(() => {
      const f = document.getElementById('f') as HTMLFormElement;
      const v = (n: string) => (f.elements.namedItem(n) as HTMLInputElement).value;
      return {
        name: v('hoTen'),
        date: v('ngaySinh'),
        sex: (f.elements.namedItem('gioiTinh') as HTMLSelectElement).value,
        radio: (f.querySelector('input[name=deNghi]:checked') as HTMLInputElement | null)?.value,
        checkbox: (f.elements.namedItem('dongY') as HTMLInputElement).checked,
        text: (f.elements.namedItem('noiDungDeNghi') as HTMLTextAreaElement).value,
        accepted: (window as unknown as { accepted: string[] }).accepted,
        events: document.getElementById('events')!.textContent,
      };
    });
    expect(state).toMatchObject({
      name: 'NGUYỄN THỊ THÚY HẰNG',
      date: '1999-03-14',
      sex: '2',
      radio: 'doi',
      checkbox: true,
      text: 'Đăng ký thường trú',
      // The React-style tracker accepted the change: the native setter went past it.
      accepted: ['NGUYỄN THỊ THÚY HẰNG'],
    });
    expect(state.events).toContain('input:hoTen change:hoTen');
    expect(state.events).toContain('change:gioiTinh');
    expect(state.events).toContain('click:deNghi');
    expect(state.events).toContain('change:dongY');
    await p.close();
  });

  it('a plain `el.value =` assignment would be dropped by the React-style tracker (control)', async () => {
    const p = await open();
    const accepted = await p.evaluate(() => {
      const el = document.getElementById('hoTen') as HTMLInputElement;
      el.value = 'X';
      el.dispatchEvent(new Event('input', { bubbles: true }));
      return (window as unknown as { accepted: string[] }).accepted;
    });
    expect(accepted).toEqual([]);
    await p.close();
  });

  it('never injects a hostile string: no script runs, the text equals the literal', async () => {
    const p = await open();
    const hostile =
      '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>"><svg onload=window.__pwned=3>';
    const selectorAttack = 'x"], body, [name="y';
    await p.evaluate(
      ({ hostile, selectorAttack }) => {
        const api = (window as unknown as { SmartCitizenForms: typeof import('./fillHtmlForm.js') }).SmartCitizenForms;
        api.fillHtmlForm(document, { fullName: hostile, text: hostile }, { fullName: 'hoTen', text: selectorAttack });
      },
      { hostile, selectorAttack },
    );
    await p.waitForTimeout(200);
    const after = await p.evaluate(() => ({
      pwned: (window as unknown as { __pwned?: number }).__pwned,
      value: (document.getElementById('hoTen') as HTMLInputElement).value,
      mirror: document.getElementById('mirror')!.textContent,
      images: document.querySelectorAll('img, svg').length,
      scripts: document.querySelectorAll('script').length,
    }));
    expect(after.pwned).toBeUndefined();
    expect(after.value).toBe(hostile);
    expect(after.mirror).toBe(hostile);
    expect(after.images).toBe(0);
    expect(after.scripts).toBe(2);
    await p.close();
  });

  const portalNames = (formId: string) => htmlMappingFromFields(createFormRegistry().get(formId).definition.fields);

  it.each<[string, Record<string, string>]>([
    ['ct01', { fullName: 'hoTen', dateOfBirth: 'ngaySinh', idNumber: 'soDinhDanh' }],
    [
      'business-household',
      {
        'owner.idNumber': 'chuHo.soDinhDanh',
        'owner.permanentAddress': 'chuHo.noiThuongTru',
        'owner.currentAddress': 'chuHo.noiOHienTai',
        'business.name': 'hoKinhDoanh.tenTiengViet',
        'business.foreignName': 'hoKinhDoanh.tenNuocNgoai',
        'business.abbreviation': 'hoKinhDoanh.tenVietTat',
        'business.vatMethod': 'thue.phuongPhapTinhThueGTGT',
        founder: 'chuTheThanhLap',
        members: 'thanhVien',
      },
    ],
    [
      'birth-registration',
      {
        'requester.dateOfBirth': 'nguoiYeuCau.ngaySinh',
        'parentsMarriage.number': 'honNhan.so',
        'parentsMarriage.book': 'honNhan.quyenSo',
        'parentsMarriage.date': 'honNhan.ngayDangKy',
        'parentsMarriage.place': 'honNhan.noiDangKy',
      },
    ],
    ['marital-status', { 'requester.dateOfBirth': 'nguoiYeuCau.ngaySinh' }],
  ])('the %s definition carries the portal input names', (formId, names) => {
    expect(portalNames(formId)).toMatchObject(names);
  });

  it('every field of the 2025 business-household form has a distinct portal name; the 2023 names are gone', () => {
    const names = Object.values(portalNames('business-household'));
    expect(new Set(names).size).toBe(names.length);
    expect(names).not.toContain('chuHo.loaiGiayTo');
    expect(names).not.toContain('chuHo.diaChiLienLac');
  });
});
