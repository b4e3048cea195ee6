// Test cards for the kiosk's chip path: a software chip personalised for one of the generated
// citizens the kiosk seeds (the same name, dates, sex and address as their card's QR), so a
// read of it finds the citizen in the store and agrees with the QR.
import { type TestDocument, type TestPki, createTestDocument } from '@smart-citizen/chip/testing';
import { formatDate } from '@smart-citizen/core';
import type { GeneratedIdentity } from '@smart-citizen/idcard/testing';

/**
 * A software chip's files for a generated citizen.
 * @param citizen - one of `generateCitizens` (a CCCD 2021 with a QR and an expiry date)
 * @param options - the issuer PKI (its CSCA is what the kiosk trusts) and the DG2 portrait
 * @throws RangeError for a citizen whose card does not expire (the MRZ key needs the date)
 */
export function chipCardFor(
  citizen: GeneratedIdentity,
  options: {
    pki: TestPki;
    portrait?: { bytes: Uint8Array; format: 'jpeg' | 'jpeg2000'; width: number; height: number };
  },
): TestDocument {
  if (!citizen.expiryDate) throw new RangeError('chipCardFor: the citizen’s card has no expiry date');
  const oldIdNumber = citizen.qrText?.split('|')[1] ?? '';
  return createTestDocument({
    pki: options.pki,
    ...(options.portrait ? { portrait: options.portrait } : {}),
    holder: {
      idNumber: citizen.idNumber,
      fullName: citizen.fullName,
      dateOfBirth: formatDate(citizen.dateOfBirth),
      sex: citizen.sex === 'M' ? 'Nam' : 'Nữ',
      nationality: citizen.nationality,
      ethnicity: citizen.ethnicity,
      religion: citizen.religion,
      placeOfOrigin: citizen.placeOfOrigin,
      placeOfResidence: citizen.placeOfResidence,
      identifyingMarks: citizen.personalIdentification,
      issueDate: formatDate(citizen.issueDate),
      expiryDate: formatDate(citizen.expiryDate),
      fatherName: '',
      motherName: '',
      ...(oldIdNumber ? { oldIdNumber } : {}),
    },
  });
}
