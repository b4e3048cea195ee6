// Sample data shared by the forms tests and bench: one made-up card holder and the answers she
// gives. Every value is invented.
import type { FormAnswers } from '../src/index.js';

/** The card holder as the forms print her: name in capitals, dd/mm/yyyy, sex in Vietnamese. */
export const holder = {
  fullName: 'NGUYỄN THỊ THÚY HẰNG',
  dateOfBirth: '14/03/1999',
  sex: 'Nữ',
  idNumber: '001199012345',
} as const;

/** {@link holder} with the ethnicity and nationality the business-household form asks for. */
export const holderWithNationality = { ...holder, ethnicity: 'Kinh', nationality: 'Việt Nam' } as const;

/** Her answers to the birth registration of her child (the father is left out). */
export const birthRegistrationAnswers = {
  recipient: 'Ủy ban nhân dân phường Ba Đình',
  requester: { relationship: 'Mẹ' },
  child: {
    fullName: 'Lê Minh An',
    dateOfBirth: '01/02/2025',
    sex: 'Nam',
    ethnicity: 'Kinh',
    nationality: 'Việt Nam',
    placeOfBirth: 'Bệnh viện Phụ sản Hà Nội',
  },
} satisfies FormAnswers;
