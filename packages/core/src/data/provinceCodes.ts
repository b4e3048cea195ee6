/**
 * Province codes (mã tỉnh) of the 12-digit personal identification number (số định danh cá
 * nhân) and of the 12-digit CMND: the first three digits name the province or centrally-run
 * city where the citizen's birth was registered.
 *
 * Source: Thông tư 07/2016/TT-BCA (quy định chi tiết Luật Căn cước công dân và Nghị định
 * 137/2015/NĐ-CP), art. 7 and its appendix of province codes, amended by Thông tư
 * 06/2021/TT-BCA; the codes are those of the provincial administrative units (Quyết định
 * 124/2004/QĐ-TTg) for the 63 provinces and cities of 2008–2025. Names are the official
 * ones, in the traditional tone-mark placement the SDK normalises to (`Hòa`, `Hóa`).
 *
 * The 2025 reorganisation into 34 provinces (Nghị quyết 202/2025/QH15, in force from
 * 12 June 2025, new provinces operating from 1 July 2025) does NOT change numbers already
 * issued: a number keeps the code of the province as it was. `province2025` names the
 * province the old one belongs to since then, for display and address matching only.
 * Thừa Thiên Huế became the centrally-run Thành phố Huế on 1 January 2025 (Nghị quyết
 * 1314/NQ-UBTVQH15); its code stays 046.
 */
export interface ProvinceCode {
  /** Three-digit code, e.g. `001`. */
  code: string;
  /** Short official name, e.g. `Hà Nội`, `Thừa Thiên Huế`. */
  name: string;
  /** Full official name with its kind, e.g. `Thành phố Hà Nội`, `Tỉnh Hà Giang`. */
  fullName: string;
  /** Short name of the province it belongs to since 1 July 2025 (one of 34). */
  province2025: string;
}

/** All 63 province codes, in code order. */
export const provinceCodes: readonly ProvinceCode[] = [
  { code: '001', name: 'Hà Nội', fullName: 'Thành phố Hà Nội', province2025: 'Hà Nội' },
  { code: '002', name: 'Hà Giang', fullName: 'Tỉnh Hà Giang', province2025: 'Tuyên Quang' },
  { code: '004', name: 'Cao Bằng', fullName: 'Tỉnh Cao Bằng', province2025: 'Cao Bằng' },
  { code: '006', name: 'Bắc Kạn', fullName: 'Tỉnh Bắc Kạn', province2025: 'Thái Nguyên' },
  { code: '008', name: 'Tuyên Quang', fullName: 'Tỉnh Tuyên Quang', province2025: 'Tuyên Quang' },
  { code: '010', name: 'Lào Cai', fullName: 'Tỉnh Lào Cai', province2025: 'Lào Cai' },
  { code: '011', name: 'Điện Biên', fullName: 'Tỉnh Điện Biên', province2025: 'Điện Biên' },
  { code: '012', name: 'Lai Châu', fullName: 'Tỉnh Lai Châu', province2025: 'Lai Châu' },
  { code: '014', name: 'Sơn La', fullName: 'Tỉnh Sơn La', province2025: 'Sơn La' },
  { code: '015', name: 'Yên Bái', fullName: 'Tỉnh Yên Bái', province2025: 'Lào Cai' },
  { code: '017', name: 'Hòa Bình', fullName: 'Tỉnh Hòa Bình', province2025: 'Phú Thọ' },
  { code: '019', name: 'Thái Nguyên', fullName: 'Tỉnh Thái Nguyên', province2025: 'Thái Nguyên' },
  { code: '020', name: 'Lạng Sơn', fullName: 'Tỉnh Lạng Sơn', province2025: 'Lạng Sơn' },
  { code: '022', name: 'Quảng Ninh', fullName: 'Tỉnh Quảng Ninh', province2025: 'Quảng Ninh' },
  { code: '024', name: 'Bắc Giang', fullName: 'Tỉnh Bắc Giang', province2025: 'Bắc Ninh' },
  { code: '025', name: 'Phú Thọ', fullName: 'Tỉnh Phú Thọ', province2025: 'Phú Thọ' },
  { code: '026', name: 'Vĩnh Phúc', fullName: 'Tỉnh Vĩnh Phúc', province2025: 'Phú Thọ' },
  { code: '027', name: 'Bắc Ninh', fullName: 'Tỉnh Bắc Ninh', province2025: 'Bắc Ninh' },
  { code: '030', name: 'Hải Dương', fullName: 'Tỉnh Hải Dương', province2025: 'Hải Phòng' },
  { code: '031', name: 'Hải Phòng', fullName: 'Thành phố Hải Phòng', province2025: 'Hải Phòng' },
  { code: '033', name: 'Hưng Yên', fullName: 'Tỉnh Hưng Yên', province2025: 'Hưng Yên' },
  { code: '034', name: 'Thái Bình', fullName: 'Tỉnh Thái Bình', province2025: 'Hưng Yên' },
  { code: '035', name: 'Hà Nam', fullName: 'Tỉnh Hà Nam', province2025: 'Ninh Bình' },
  { code: '036', name: 'Nam Định', fullName: 'Tỉnh Nam Định', province2025: 'Ninh Bình' },
  { code: '037', name: 'Ninh Bình', fullName: 'Tỉnh Ninh Bình', province2025: 'Ninh Bình' },
  { code: '038', name: 'Thanh Hóa', fullName: 'Tỉnh Thanh Hóa', province2025: 'Thanh Hóa' },
  { code: '040', name: 'Nghệ An', fullName: 'Tỉnh Nghệ An', province2025: 'Nghệ An' },
  { code: '042', name: 'Hà Tĩnh', fullName: 'Tỉnh Hà Tĩnh', province2025: 'Hà Tĩnh' },
  { code: '044', name: 'Quảng Bình', fullName: 'Tỉnh Quảng Bình', province2025: 'Quảng Trị' },
  { code: '045', name: 'Quảng Trị', fullName: 'Tỉnh Quảng Trị', province2025: 'Quảng Trị' },
  { code: '046', name: 'Thừa Thiên Huế', fullName: 'Tỉnh Thừa Thiên Huế', province2025: 'Huế' },
  { code: '048', name: 'Đà Nẵng', fullName: 'Thành phố Đà Nẵng', province2025: 'Đà Nẵng' },
  { code: '049', name: 'Quảng Nam', fullName: 'Tỉnh Quảng Nam', province2025: 'Đà Nẵng' },
  { code: '051', name: 'Quảng Ngãi', fullName: 'Tỉnh Quảng Ngãi', province2025: 'Quảng Ngãi' },
  { code: '052', name: 'Bình Định', fullName: 'Tỉnh Bình Định', province2025: 'Gia Lai' },
  { code: '054', name: 'Phú Yên', fullName: 'Tỉnh Phú Yên', province2025: 'Đắk Lắk' },
  { code: '056', name: 'Khánh Hòa', fullName: 'Tỉnh Khánh Hòa', province2025: 'Khánh Hòa' },
  { code: '058', name: 'Ninh Thuận', fullName: 'Tỉnh Ninh Thuận', province2025: 'Khánh Hòa' },
  { code: '060', name: 'Bình Thuận', fullName: 'Tỉnh Bình Thuận', province2025: 'Lâm Đồng' },
  { code: '062', name: 'Kon Tum', fullName: 'Tỉnh Kon Tum', province2025: 'Quảng Ngãi' },
  { code: '064', name: 'Gia Lai', fullName: 'Tỉnh Gia Lai', province2025: 'Gia Lai' },
  { code: '066', name: 'Đắk Lắk', fullName: 'Tỉnh Đắk Lắk', province2025: 'Đắk Lắk' },
  { code: '067', name: 'Đắk Nông', fullName: 'Tỉnh Đắk Nông', province2025: 'Lâm Đồng' },
  { code: '068', name: 'Lâm Đồng', fullName: 'Tỉnh Lâm Đồng', province2025: 'Lâm Đồng' },
  { code: '070', name: 'Bình Phước', fullName: 'Tỉnh Bình Phước', province2025: 'Đồng Nai' },
  { code: '072', name: 'Tây Ninh', fullName: 'Tỉnh Tây Ninh', province2025: 'Tây Ninh' },
  { code: '074', name: 'Bình Dương', fullName: 'Tỉnh Bình Dương', province2025: 'Hồ Chí Minh' },
  { code: '075', name: 'Đồng Nai', fullName: 'Tỉnh Đồng Nai', province2025: 'Đồng Nai' },
  { code: '077', name: 'Bà Rịa - Vũng Tàu', fullName: 'Tỉnh Bà Rịa - Vũng Tàu', province2025: 'Hồ Chí Minh' },
  { code: '079', name: 'Hồ Chí Minh', fullName: 'Thành phố Hồ Chí Minh', province2025: 'Hồ Chí Minh' },
  { code: '080', name: 'Long An', fullName: 'Tỉnh Long An', province2025: 'Tây Ninh' },
  { code: '082', name: 'Tiền Giang', fullName: 'Tỉnh Tiền Giang', province2025: 'Đồng Tháp' },
  { code: '083', name: 'Bến Tre', fullName: 'Tỉnh Bến Tre', province2025: 'Vĩnh Long' },
  { code: '084', name: 'Trà Vinh', fullName: 'Tỉnh Trà Vinh', province2025: 'Vĩnh Long' },
  { code: '086', name: 'Vĩnh Long', fullName: 'Tỉnh Vĩnh Long', province2025: 'Vĩnh Long' },
  { code: '087', name: 'Đồng Tháp', fullName: 'Tỉnh Đồng Tháp', province2025: 'Đồng Tháp' },
  { code: '089', name: 'An Giang', fullName: 'Tỉnh An Giang', province2025: 'An Giang' },
  { code: '091', name: 'Kiên Giang', fullName: 'Tỉnh Kiên Giang', province2025: 'An Giang' },
  { code: '092', name: 'Cần Thơ', fullName: 'Thành phố Cần Thơ', province2025: 'Cần Thơ' },
  { code: '093', name: 'Hậu Giang', fullName: 'Tỉnh Hậu Giang', province2025: 'Cần Thơ' },
  { code: '094', name: 'Sóc Trăng', fullName: 'Tỉnh Sóc Trăng', province2025: 'Cần Thơ' },
  { code: '095', name: 'Bạc Liêu', fullName: 'Tỉnh Bạc Liêu', province2025: 'Cà Mau' },
  { code: '096', name: 'Cà Mau', fullName: 'Tỉnh Cà Mau', province2025: 'Cà Mau' },
];
