import * as fontkitModule from '@pdf-lib/fontkit';
import { isSmartCitizenError } from '@smart-citizen/core';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createFormRegistry } from '../registry/FormRegistry.js';
import { type FontBytes, loadDefaultFonts } from './loadDefaultFonts.js';
import { holder, holderWithNationality } from '../../test/fixtures.js';
import { renderFormPdf } from './renderFormPdf.js';

const fontkit = ((fontkitModule as unknown as { default?: unknown }).default ?? fontkitModule) as typeof fontkitModule;

/** Every precomposed Vietnamese letter, upper and lower case (67 + 67). */
const UPPER = 'ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬĐÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ';
const LETTERS = [...UPPER, ...UPPER.toLowerCase()];

async function pageTexts(pdf: Uint8Array): Promise<string[]> {
  const doc = await getDocument({ data: pdf.slice(), verbosity: 0 }).promise;
  const out: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const page = await doc.getPage(i);
    const content = await page.getTextContent();
    out.push(content.items.map((it) => ('str' in it ? it.str : '')).join('\n'));
  }
  await doc.destroy();
  return out;
}

/** The lines `text` lacks: empty when every one is printed. */
function missingLines(text: string, lines: string[]): string[] {
  return lines.filter((line) => !text.includes(line));
}

describe('renderFormPdf', () => {
  const registry = createFormRegistry();
  let fonts: FontBytes;
  beforeAll(async () => {
    fonts = await loadDefaultFonts();
  });
  /** Prints a form and reads its text back in NFC, white space folded (pdf.js splits the lines into items). */
  async function printed(formId: string, data: Record<string, unknown>, options: { fonts: FontBytes } = { fonts }) {
    const r = await renderFormPdf(registry.get(formId), data, options);
    return { ...r, text: (await pageTexts(r.pdf)).join('\n').replace(/\s+/g, ' ').normalize('NFC') };
  }

  it('ships a font whose cmap has every Vietnamese letter (regular and bold)', () => {
    expect(LETTERS).toHaveLength(134);
    for (const bytes of [fonts.regular, fonts.bold!]) {
      const face = fontkit.create(bytes);
      const missing = LETTERS.filter((c) => !face.hasGlyphForCodePoint(c.codePointAt(0)!));
      expect(missing).toEqual([]);
    }
  });

  interface PrintCase {
    title: string;
    form: string;
    data: Record<string, unknown>;
    /** Lines the printed text must hold. */
    lines: string[];
    /** Text it must not hold. */
    absent?: string[];
    pages?: number;
  }
  it.each<PrintCase>([
    {
      title: 'CT01, and every Vietnamese letter extracts back unchanged',
      form: 'ct01',
      data: {
        recipient: 'Công an phường Ba Đình, Thành phố Hà Nội',
        ...holder,
        request: `Đăng ký thường trú — kiểm tra chữ: ${LETTERS.join(' ')}`,
        place: 'Hà Nội',
        date: '02/12/2026',
      },
      lines: [
        'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
        'Độc lập - Tự do - Hạnh phúc',
        'TỜ KHAI THAY ĐỔI THÔNG TIN CƯ TRÚ',
        'Mẫu CT01',
        '1. Họ, chữ đệm và tên khai sinh: NGUYỄN THỊ THÚY HẰNG',
        'Ngày, tháng, năm sinh: 14/03/1999',
        'Giới tính: Nữ',
        'Hà Nội, ngày 02 tháng 12 năm 2026',
        // The 2025 CT01 adds the parents' or guardian's signature box.
        'NGƯỜI GIÁM HỘ',
        'NGƯỜI KÊ KHAI',
        ...LETTERS,
      ],
      pages: 1,
    },
    {
      title: 'DC02 with its three parts and the chosen request contents',
      form: 'dc02',
      data: {
        recipient: 'Công an phường Ba Đình',
        requester: { ...holder, residence: 'Số 15 ngõ 34 phố Quán Thánh, Phường Ba Đình, Thành phố Hà Nội' },
        request: { card: true },
        details: 'Cấp đổi thẻ căn cước do thẻ hết hạn',
      },
      lines: [
        'Mẫu DC02',
        'PHIẾU ĐỀ NGHỊ GIẢI QUYẾT THỦ TỤC VỀ CĂN CƯỚC',
        'I. THÔNG TIN NGƯỜI ĐỀ NGHỊ',
        '1. Họ, chữ đệm và tên: NGUYỄN THỊ THÚY HẰNG',
        '4. Số định danh cá nhân: 001199012345',
        'II. THÔNG TIN NGƯỜI ĐẠI DIỆN THỰC HIỆN THỦ TỤC (nếu có)',
        '1. Cấp, cấp đổi, cấp lại thẻ căn cước: Có',
        '10. Nội dung cụ thể: Cấp đổi thẻ căn cước do thẻ hết hạn',
        'NGƯỜI ĐỀ NGHỊ',
      ],
      pages: 1,
      // An item the citizen did not choose is left blank, not printed as "Không".
      absent: ['Không'],
    },
    {
      title: 'the 2025 business-household form (Mẫu số 1, TT 68/2025): items 1–7, two-level addresses, commitments',
      form: 'business-household',
      data: {
        recipient: 'Phòng Kinh tế phường Hoàn Kiếm',
        owner: {
          ...holderWithNationality,
          permanentAddress: {
            line: 'Số 15 ngõ 34 phố Quán Thánh, Phường Ba Đình, Thành phố Hà Nội',
            houseNumber: 'Số 15 ngõ 34',
            street: 'phố Quán Thánh',
            ward: 'Phường Ba Đình',
            province: 'Thành phố Hà Nội',
            previous: { line: 'Số 15 ngõ 34 phố Quán Thánh, Phường Quán Thánh, Quận Ba Đình, Thành phố Hà Nội' },
          },
        },
        business: {
          name: 'HỘ KINH DOANH HẰNG NGUYỄN',
          address: {
            line: 'Số 8 phố Hàng Bạc, Phường Hoàn Kiếm, Thành phố Hà Nội',
            ward: 'Phường Hoàn Kiếm',
            province: 'Thành phố Hà Nội',
          },
          activities: [{ name: 'Bán lẻ hàng may mặc', code: '4771', main: true }],
          capital: 150_000_000,
          capitalInWords: 'Một trăm năm mươi triệu đồng',
          startDate: '01/01/2026',
          employees: 2,
          vatMethod: 'Phương pháp khoán',
        },
        founder: 'Các thành viên hộ gia đình',
        members: [holder, { fullName: 'LÊ VĂN NAM', dateOfBirth: '02/05/1996', idNumber: '001096012345', sex: 'Nam' }],
        place: 'Hà Nội',
        date: '02/12/2026',
      },
      lines: [
        'Mẫu số 1',
        'GIẤY ĐỀ NGHỊ ĐĂNG KÝ HỘ KINH DOANH',
        'Tôi là (ghi họ tên bằng chữ in hoa): NGUYỄN THỊ THÚY HẰNG',
        'Số định danh cá nhân: 001199012345',
        'Nơi thường trú:',
        'Nơi ở hiện tại:',
        'Xã/Phường/Đặc khu: Phường Ba Đình',
        'Quận Ba Đình',
        'Đăng ký hộ kinh doanh do tôi là chủ hộ với các nội dung sau:',
        'Tên hộ kinh doanh viết bằng tiếng Việt (ghi bằng chữ in hoa): HỘ KINH DOANH HẰNG NGUYỄN',
        'Tên hộ kinh doanh viết bằng tiếng nước ngoài (nếu có)',
        '2. Trụ sở của hộ kinh doanh:',
        'Xã/Phường/Đặc khu: Phường Hoàn Kiếm',
        '3. Ngành, nghề kinh doanh',
        'Bán lẻ hàng may mặc',
        '4771',
        'Bằng chữ: Một trăm năm mươi triệu đồng',
        '5.1. Địa chỉ nhận thông báo thuế',
        '5.4. Phương pháp tính thuế GTGT',
        'Phương pháp khoán',
        '6. Chủ thể thành lập hộ kinh doanh',
        'Các thành viên hộ gia đình',
        '7. Thông tin về các thành viên hộ gia đình đăng ký hộ kinh doanh',
        'LÊ VĂN NAM',
        'không là chủ doanh nghiệp tư nhân',
        'Hà Nội, ngày 02 tháng 12 năm 2026',
        'CHỦ HỘ KINH DOANH',
      ],
      // Two-level addresses: no district line for a current address, and none of the 2023 items.
      absent: ['Quận/Huyện/Thị xã:', 'Địa chỉ liên lạc', 'Loại giấy tờ pháp lý'],
    },
    {
      title:
        "the birth registration as amended by TT 04/2024: requester date of birth, parents' documents, marriage certificate",
      form: 'birth-registration',
      data: {
        recipient: 'Ủy ban nhân dân phường Ba Đình',
        requester: {
          fullName: 'NGUYỄN THỊ THÚY HẰNG',
          dateOfBirth: '14/03/1999',
          residence: 'Phường Ba Đình, Thành phố Hà Nội',
          idNumber: '001199012345',
          relationship: 'Mẹ',
        },
        child: { fullName: 'LÊ MINH AN', dateOfBirth: '01/02/2025', sex: 'Nam' },
        mother: { fullName: 'NGUYỄN THỊ THÚY HẰNG', dateOfBirth: '14/03/1999', idNumber: '001199012345' },
        father: { fullName: 'LÊ VĂN NAM', dateOfBirth: '1996', idNumber: '001096012345' },
        parentsMarriage: { number: '125', book: '01/2023', date: '20/05/2023', place: 'UBND phường Quán Thánh' },
      },
      lines: [
        'TỜ KHAI ĐĂNG KÝ KHAI SINH',
        'Ngày, tháng, năm sinh: 14/03/1999',
        'Giấy tờ tùy thân (số định danh cá nhân): 001199012345',
        'Giấy tờ tùy thân: 001096012345',
        'Thông tin về Giấy chứng nhận kết hôn của cha, mẹ trẻ (nếu cha, mẹ trẻ đã đăng ký kết hôn):',
        'Số: 125',
        'Quyển số: 01/2023',
        'Đăng ký ngày: 20/05/2023',
        'Tại: UBND phường Quán Thánh',
        'NGƯỜI YÊU CẦU',
      ],
    },
  ])('prints $title', async ({ form, data, lines, absent = [], pages }) => {
    const r = await printed(form, data);
    expect(r.issues).toEqual([]);
    if (pages !== undefined) expect(r.pages).toBe(pages);
    expect(missingLines(r.text, lines)).toEqual([]);
    for (const s of absent) expect(r.text).not.toContain(s);
  });

  it('prints an address with its parts and the pre-2025 address, and tables over several pages', async () => {
    const members = Array.from({ length: 30 }, (_, i) => ({
      fullName: `TRẦN VĂN THÀNH VIÊN SỐ ${i + 1}`,
      dateOfBirth: '01/01/2000',
      sex: 'Nam',
      idNumber: '001200012345',
      relationship: 'Con',
    }));
    const { pages, text } = await printed('ct01', { fullName: 'A', members });
    expect(pages).toBeGreaterThan(1);
    for (let i = 1; i <= 30; i++) expect(text).toContain(`TRẦN VĂN THÀNH VIÊN SỐ ${i}`);

    const cc = await printed('cc01', {
      permanentResidence: {
        line: 'Số 15 phố Quán Thánh, Phường Ba Đình, Thành phố Hà Nội',
        houseNumber: 'Số 15',
        street: 'phố Quán Thánh',
        ward: 'Phường Ba Đình',
        province: 'Thành phố Hà Nội',
        previous: { line: 'Số 15 phố Quán Thánh, Phường Quán Thánh, Quận Ba Đình, Thành phố Hà Nội' },
      },
    });
    expect(cc.text).toContain('Xã/Phường/Đặc khu: Phường Ba Đình');
    expect(cc.text).toContain('Tỉnh/Thành phố: Thành phố Hà Nội');
    expect(cc.text).toContain('Phường Quán Thánh, Quận Ba Đình');
  });

  it('prints hostile strings literally, drops control and bidi characters, adds no script', async () => {
    const hostile = '<script>alert(1)</script>\u202e\u0000/JavaScript (app.alert(1)) 😀';
    const { pdf, issues, text } = await printed('ct01', { fullName: hostile });
    expect(text).toContain('<script>alert(1)</script>');
    expect(text).not.toContain('\u202e');
    expect(issues.map((i) => i.code)).toContain('forms/pdf-glyph-missing');
    const raw = new TextDecoder('latin1').decode(pdf);
    expect(raw).not.toMatch(/\/(JavaScript|JS|OpenAction|AA|Launch)\b/);
    // Metadata names the form, never the citizen.
    expect(raw).not.toContain('alert');
  });

  it('accepts font bytes (the browser path) and refuses bytes that are not a font', async () => {
    const ok = await printed(
      'marital-status',
      { requester: { fullName: holder.fullName, dateOfBirth: holder.dateOfBirth } },
      { fonts: { regular: fonts.regular } },
    );
    expect(ok.pages).toBeGreaterThanOrEqual(1);
    expect(ok.text).toContain('TỜ KHAI CẤP GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN');
    expect(ok.text).toContain('Ngày, tháng, năm sinh: 14/03/1999');
    const err = await renderFormPdf(registry.get('ct01'), {}, { fonts: { regular: new Uint8Array([1, 2, 3]) } }).catch(
      (e: unknown) => e,
    );
    expect(isSmartCitizenError(err, 'forms/pdf-font-invalid')).toBe(true);
  });
});
