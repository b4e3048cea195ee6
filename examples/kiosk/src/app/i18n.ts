// The kiosk's words in Vietnamese and English: one table, one key per message. Guidance keys
// are the SDK's own capture hints and issue codes, so a reader's result maps to a sentence.
export type Lang = 'vi' | 'en';

const text = {
  title: { vi: 'Chào mừng đến Bộ phận Một cửa', en: 'Welcome to the one-stop-shop' },
  intro: {
    vi: 'Ki-ốt giúp bạn xác thực căn cước, lấy số thứ tự và in tờ khai đã điền sẵn.',
    en: 'This kiosk checks your identity card, gives you a queue ticket and prints your pre-filled form.',
  },
  start: { vi: 'Bắt đầu', en: 'Start' },
  cardTitle: {
    vi: 'Đưa mặt trước thẻ căn cước vào khung hình',
    en: 'Show the front of your identity card to the camera',
  },
  cardHelp: {
    vi: 'Giữ thẻ thẳng, mã QR ở góc trên bên phải hướng về camera.',
    en: 'Hold the card flat with its QR code (top right) facing the camera.',
  },
  cameraLabel: { vi: 'Hình ảnh từ camera', en: 'Camera view' },
  // A card without a QR code: photographed and read by OCR on the server.
  noQr: { vi: 'Thẻ không có mã QR', en: 'My card has no QR code' },
  photoTitle: { vi: 'Chụp ảnh mặt trước thẻ', en: 'Photograph the front of your card' },
  photoBackTitle: { vi: 'Lật thẻ: chụp ảnh mặt sau', en: 'Turn the card over: photograph the back' },
  photoHelp: {
    vi: 'Đưa cả thẻ vào khung hình, giữ thẳng và yên. Ki-ốt tự chụp; bạn cũng có thể bấm “Chụp ảnh”.',
    en: 'Hold the whole card flat and still inside the picture. The kiosk takes the photo itself, or press “Take photo”.',
  },
  switchedToPhoto: {
    vi: 'Không thấy mã QR trên thẻ: ki-ốt sẽ chụp ảnh thẻ để đọc.',
    en: 'No QR code found on the card: the kiosk will photograph the card and read it.',
  },
  takePhoto: { vi: 'Chụp ảnh', en: 'Take photo' },
  backToQr: { vi: 'Thẻ của tôi có mã QR', en: 'My card has a QR code' },
  photoReading: { vi: 'Đang đọc thẻ…', en: 'Reading the card…' },
  photoRetry: { vi: 'Chưa đọc được thẻ: thử lại', en: 'The card could not be read yet: try again' },
  photoWait: { vi: 'Vui lòng chờ vài giây rồi thử lại', en: 'Please wait a few seconds and try again' },
  photoGiveUp: {
    vi: 'Chưa đọc được thẻ của bạn. Vui lòng đến quầy để được hỗ trợ.',
    en: 'Your card could not be read. Please go to a counter.',
  },
  loading: { vi: 'Đang tải bộ đọc…', en: 'Loading the readers…' },
  loadingModels: { vi: 'Đang tải mô hình nhận dạng khuôn mặt', en: 'Loading the face models' },
  cameraDenied: {
    vi: 'Không dùng được camera: quyền truy cập bị từ chối. Vui lòng đến quầy để được hỗ trợ.',
    en: 'The camera cannot be used: access was denied. Please ask at a counter.',
  },
  cameraMissing: {
    vi: 'Không tìm thấy camera trên ki-ốt này. Vui lòng đến quầy để được hỗ trợ.',
    en: 'This kiosk has no camera. Please ask at a counter.',
  },
  checking: { vi: 'Đang kiểm tra…', en: 'Checking…' },
  confirmTitle: { vi: 'Thông tin của bạn có đúng không?', en: 'Are these your details?' },
  idNumber: { vi: 'Số định danh', en: 'ID number' },
  oldIdNumber: { vi: 'Số CMND', en: 'ID card (CMND) number' },
  fullName: { vi: 'Họ và tên', en: 'Full name' },
  dateOfBirth: { vi: 'Ngày sinh', en: 'Date of birth' },
  sex: { vi: 'Giới tính', en: 'Sex' },
  male: { vi: 'Nam', en: 'Male' },
  female: { vi: 'Nữ', en: 'Female' },
  yes: { vi: 'Đúng, tiếp tục', en: 'Yes, continue' },
  no: { vi: 'Không đúng, đọc lại', en: 'No, read again' },
  unknownCitizen: {
    vi: 'Không tìm thấy hồ sơ của bạn trong cơ sở dữ liệu. Vui lòng đến quầy.',
    en: 'Your record was not found. Please go to a counter.',
  },
  consentTitle: { vi: 'Đồng ý xác thực khuôn mặt', en: 'Consent to face verification' },
  consentText: {
    vi: 'Để xác thực bạn là chủ thẻ, ki-ốt sẽ chụp ảnh khuôn mặt và so sánh với ảnh trên thẻ. Dữ liệu sinh trắc học là dữ liệu cá nhân nhạy cảm (Luật Bảo vệ dữ liệu cá nhân 2025): ảnh chỉ dùng cho lần xác thực này, không được lưu; mọi lần xử lý đều được ghi nhật ký. Nếu không đồng ý, bạn vẫn được cấp số và cán bộ sẽ kiểm tra thẻ tại quầy.',
    en: 'To check that you hold this card, the kiosk takes a photo of your face and compares it with the card photo. Biometric data is sensitive personal data (Personal Data Protection Law 2025): the photo is used for this check only and is not stored; every use is logged. If you decline, you still get a ticket and an officer checks your card at the counter.',
  },
  agree: { vi: 'Tôi đồng ý', en: 'I agree' },
  decline: { vi: 'Không đồng ý', en: 'I decline' },
  faceTitle: { vi: 'Nhìn thẳng vào camera', en: 'Look at the camera' },
  'turn-left': {
    vi: 'Từ từ quay đầu sang trái của bạn, rồi nhìn thẳng lại',
    en: 'Slowly turn your head to your left, then back',
  },
  'turn-right': {
    vi: 'Từ từ quay đầu sang phải của bạn, rồi nhìn thẳng lại',
    en: 'Slowly turn your head to your right, then back',
  },
  challengeDone: { vi: 'Tốt lắm! Đang xác thực…', en: 'Well done! Verifying…' },
  verified: { vi: 'Đã xác thực', en: 'Verified' },
  faceFailed: {
    vi: 'Chưa xác thực được khuôn mặt. Vui lòng thử lại hoặc đến quầy.',
    en: 'Your face could not be verified. Please try again or go to a counter.',
  },
  retry: { vi: 'Thử lại', en: 'Try again' },
  procedureTitle: { vi: 'Bạn cần làm thủ tục gì?', en: 'Which procedure do you need?' },
  ticketTitle: { vi: 'Số thứ tự của bạn', en: 'Your ticket' },
  counters: { vi: 'Quầy', en: 'Counters' },
  wait: { vi: 'Thời gian chờ dự kiến', en: 'Expected wait' },
  minutes: { vi: 'phút', en: 'minutes' },
  noCounter: { vi: 'chưa có quầy mở', en: 'no counter open yet' },
  ahead: { vi: 'người phía trước', en: 'people ahead' },
  printTicket: { vi: 'In số thứ tự', en: 'Print ticket' },
  formTitle: { vi: 'Tờ khai đã điền sẵn', en: 'Your pre-filled form' },
  formHelp: {
    vi: 'Kiểm tra thông tin; phần còn trống bạn điền tay hoặc cán bộ hỗ trợ tại quầy.',
    en: 'Check the details; fill in what is empty by hand or with the officer at the counter.',
  },
  missing: { vi: 'Còn trống', en: 'Still empty' },
  printForm: { vi: 'Tải tờ khai (PDF)', en: 'Download the form (PDF)' },
  finish: { vi: 'Hoàn tất', en: 'Finish' },
  error: {
    vi: 'Đã có lỗi. Vui lòng thử lại hoặc đến quầy.',
    en: 'Something went wrong. Please try again or ask at a counter.',
  },
  // Capture guidance (qr CaptureHint, face checks, server issue codes).
  'no-code': { vi: 'Chưa thấy mã QR: đưa mặt trước thẻ vào khung', en: 'No QR code yet: show the front of the card' },
  'too-far': { vi: 'Đưa thẻ lại gần hơn', en: 'Move the card closer' },
  'too-dark': { vi: 'Quá tối: đưa vào chỗ sáng hơn', en: 'Too dark: move to more light' },
  glare: { vi: 'Thẻ bị lóa: nghiêng thẻ một chút', en: 'Glare on the card: tilt it a little' },
  ok: { vi: 'Giữ yên…', en: 'Hold still…' },
  'no-face': { vi: 'Chưa thấy khuôn mặt: nhìn vào camera', en: 'No face yet: look at the camera' },
  'several-faces': { vi: 'Chỉ một người đứng trước camera', en: 'Only one person in front of the camera, please' },
  'move-closer': { vi: 'Lại gần camera hơn', en: 'Come closer to the camera' },
  'hold-still': { vi: 'Giữ yên', en: 'Hold still' },
  // The card reader's reasons (server, card photo) and the kiosk's own.
  'idcard/no-card': { vi: 'Chưa thấy thẻ: đưa cả thẻ vào khung hình', en: 'No card seen: show the whole card' },
  'idcard/card-cut-off': {
    vi: 'Một phần thẻ nằm ngoài khung: đưa cả thẻ vào giữa',
    en: 'Part of the card is outside the picture: move it to the middle',
  },
  'idcard/too-small': { vi: 'Thẻ quá nhỏ: đưa thẻ lại gần camera', en: 'The card is too small: bring it closer' },
  'idcard/too-blurred': { vi: 'Ảnh bị mờ: giữ yên thẻ', en: 'The photo is blurred: hold the card still' },
  'idcard/glare': {
    vi: 'Ánh sáng chói che chữ trên thẻ: nghiêng thẻ một chút',
    en: 'Glare covers the text: tilt the card a little',
  },
  'idcard/unknown-card': {
    vi: 'Không nhận ra thẻ: dùng CMND, CCCD hoặc thẻ căn cước',
    en: 'This does not look like a Vietnamese identity card',
  },
  'idcard/bad-image': { vi: 'Ảnh không dùng được: thử lại', en: 'The photo could not be used: try again' },
  'idcard/image-too-large': { vi: 'Ảnh quá lớn', en: 'The photo is too large' },
  'idcard/low-confidence': {
    vi: 'Chưa đọc rõ chữ trên thẻ: giữ thẻ thẳng và yên',
    en: 'Some text is not clear yet: hold the card flat and still',
  },
  'idcard/type-mismatch': { vi: 'Mặt sau không cùng thẻ với mặt trước', en: 'The back is not of the same card' },
  'kiosk/field-unreadable': {
    vi: 'Chưa đọc được số thẻ, họ tên hoặc ngày sinh: giữ thẻ thẳng và yên',
    en: 'The number, name or date of birth is not readable yet: hold the card flat and still',
  },
  'kiosk/show-front': { vi: 'Đây là mặt sau: đưa mặt trước thẻ', en: 'That is the back: show the front' },
  'kiosk/show-back': {
    vi: 'Cần thêm mặt sau (dòng mã MRZ) để xác nhận',
    en: 'The back (its MRZ lines) is needed to confirm',
  },
  'kiosk/card-differs-from-record': {
    vi: 'Thông tin đọc được chưa khớp hồ sơ: chụp lại',
    en: 'What was read does not match the record: taking the photo again',
  },
  'session/too-many-attempts': { vi: 'Đã thử quá số lần cho phép', en: 'Too many attempts' },
  'idcard/unavailable': {
    vi: 'Ki-ốt này không đọc được thẻ không có mã QR',
    en: 'This kiosk cannot read cards without a QR code',
  },
  'qr/not-found': { vi: 'Không đọc được mã QR trên ảnh thẻ', en: 'The QR code could not be read from the card' },
  'face/no-match': { vi: 'Khuôn mặt không khớp với thẻ', en: 'The face does not match the card' },
  'liveness/failed': { vi: 'Không xác nhận được người thật', en: 'Could not confirm a live person' },
  'liveness/challenge-not-passed': {
    vi: 'Máy chủ không thấy bạn quay đầu theo hướng dẫn: thử lại',
    en: 'The server did not see the head turn asked for: try again',
  },
  'liveness/challenge-different-person': {
    vi: 'Ảnh quay đầu không phải cùng một người',
    en: 'The turned and the frontal frames are not the same person',
  },
  'liveness/challenge-no-face': { vi: 'Không thấy khuôn mặt trong ảnh gửi đi', en: 'No face in a frame sent' },
  // The chip step (chipScreen.ts) and the reader's guidance codes (server chipStation.ts).
  chipTitle: { vi: 'Đặt thẻ lên đầu đọc', en: 'Place your card on the reader' },
  chipHelp: {
    vi: 'Đặt mặt sau thẻ căn cước nằm yên trên đầu đọc chip cho đến khi đọc xong.',
    en: 'Lay your identity card flat on the chip reader and keep it there until the read is done.',
  },
  useChip: { vi: 'Dùng đầu đọc chip', en: 'Use the chip reader' },
  chipSkip: { vi: 'Tiếp tục không dùng chip', en: 'Continue without the chip' },
  chipBack: { vi: 'Quay lại camera', en: 'Back to the camera' },
  chipCanLabel: { vi: '6 số cuối của số định danh trên thẻ', en: 'The last 6 digits of the ID number on your card' },
  chipCanHelp: { vi: 'Dùng để mở chip của thẻ (mã CAN).', en: 'They open the card’s chip (its CAN).' },
  chipCanOk: { vi: 'Xác nhận', en: 'Confirm' },
  chipCanInvalid: { vi: 'Nhập đủ 6 chữ số', en: 'Enter all 6 digits' },
  chipProgress: { vi: 'Tiến độ đọc chip', en: 'Chip read progress' },
  chipPlace: { vi: 'Đặt thẻ lên đầu đọc và giữ yên', en: 'Place the card on the reader and hold it still' },
  chipReading: { vi: 'Đang đọc chip… giữ yên thẻ', en: 'Reading the chip… keep the card still' },
  chipReadOk: { vi: 'Đã đọc và xác thực chip', en: 'Chip read and authenticated' },
  chipReadNotAuthenticated: {
    vi: 'Đã đọc chip nhưng chưa xác thực được chip',
    en: 'Chip read, but the chip could not be authenticated',
  },
  'chip/no-reader': { vi: 'Không có đầu đọc chip', en: 'No chip reader is attached' },
  'chip/no-card': { vi: 'Chưa thấy thẻ trên đầu đọc', en: 'No card on the reader yet' },
  'chip/no-key': {
    vi: 'Cần mã QR hoặc 6 số cuối của số định danh để mở chip',
    en: 'The chip needs the QR code or the last 6 digits of the ID number',
  },
  'chip/busy': { vi: 'Đầu đọc đang bận, chờ một chút', en: 'The reader is busy: wait a moment' },
  'chip/wrong-key': {
    vi: 'Chip không nhận mã: kiểm tra đúng thẻ của bạn và 6 số cuối',
    en: 'The chip refused the key: check it is your card and the last 6 digits',
  },
  'chip/card-removed': {
    vi: 'Thẻ bị nhấc ra khi đang đọc: đặt lại thẻ và giữ yên',
    en: 'The card was lifted during the read: place it again and hold it still',
  },
  'chip/timeout': { vi: 'Chip không trả lời: đặt lại thẻ', en: 'The chip stopped answering: place the card again' },
  'chip/unreadable': {
    vi: 'Không đọc được chip: đặt lại thẻ hoặc đến quầy',
    en: 'The chip could not be read: place the card again or ask at a counter',
  },
  'chip/unsupported': {
    vi: 'Chip này cần đọc tại quầy',
    en: 'This chip has to be read at a counter',
  },
  'chip/clone-suspected': {
    vi: 'Chip không xác thực được: vui lòng đến quầy',
    en: 'The chip could not be authenticated: please go to a counter',
  },
} satisfies Record<string, Record<Lang, string>>;

export type TextKey = keyof typeof text;

let lang: Lang = 'vi';

export function setLang(l: Lang): void {
  lang = l;
  document.documentElement.lang = l;
}
export function currentLang(): Lang {
  return lang;
}
/** The message in the current language; unknown keys (codes) come back as they are. */
export function t(key: TextKey | string): string {
  const entry = (text as Record<string, Record<Lang, string>>)[key];
  return entry ? entry[lang] : key;
}
export function has(key: string): boolean {
  return key in text;
}
