import {
  type PartialDate,
  type Sex,
  formatDate,
  formatSex,
  parseDate,
  parseIdNumber,
  parseSex,
  provinceByCode,
  validateIdNumber,
} from '@smart-citizen/core';
import { CliUsageError, defineCommand, describeIssue, printJson } from '../command.js';

const usage = `Usage: smart-citizen id <number> [--dob DD/MM/YYYY] [--sex Nam|Nữ] [--today YYYY-MM-DD] [--json]

Parse a 12-digit personal identification number (CCCD / Căn cước) and check it.
Prints the province code and name, the century and sex digit, the birth-year digits,
and the issues found.

  <number>          12 digits; spaces are ignored (several arguments are joined)
  --dob <date>      date of birth to check against (DD/MM/YYYY, MM/YYYY, YYYY, DDMMYYYY, YYYY-MM-DD)
  --sex <sex>       sex to check against: Nam, Nữ (also Nu, M, F, Male, Female)
  --today <date>    reference date for "in the future" checks (default: today in Vietnam)
  --json            print the result as JSON

Exit codes: 0 no error issue, 1 error issues found, 2 malformed input.`;

function parseOptionDate(value: string, flag: string): PartialDate {
  try {
    return parseDate(value, 'auto');
  } catch (err) {
    throw new CliUsageError(`${flag}: ${err instanceof Error ? err.message.replace(/^\[[^\]]+\] /, '') : 'bad date'}`);
  }
}

/** `smart-citizen id`: parse and validate a 12-digit identification number. */
export const idCommand = defineCommand({
  name: 'id',
  summary: 'parse and check a 12-digit identification number (province, century, sex, birth year)',
  usage,
  options: { dob: 'string', sex: 'string', today: 'string' },
  async run({ values, positionals }, io) {
    if (positionals.length === 0) throw new CliUsageError('missing <number>');
    const text = positionals.join('');

    let dateOfBirth: PartialDate | undefined;
    if (values.dob !== undefined) dateOfBirth = parseOptionDate(values.dob, '--dob');
    let sex: Sex | undefined;
    if (values.sex !== undefined) {
      sex = parseSex(values.sex);
      if (sex === undefined) throw new CliUsageError('--sex: expected Nam or Nữ (or M / F)');
    }
    let today: Date | undefined;
    if (values.today !== undefined) {
      const d = parseOptionDate(values.today, '--today');
      if (d.month === undefined || d.day === undefined) throw new CliUsageError('--today: a full date is needed');
      today = new Date(Date.UTC(d.year, d.month - 1, d.day, 5));
    }

    // Malformed numbers throw SmartCitizenError id/malformed: runCli prints it, exit 2.
    parseIdNumber(text);
    const { parts, issues } = validateIdNumber(text, {
      ...(dateOfBirth ? { dateOfBirth } : {}),
      ...(sex ? { sex } : {}),
      ...(today ? { today } : {}),
    });
    if (!parts) throw new CliUsageError('not an identification number');
    const hasError = issues.some((i) => i.severity === 'error');
    const province = provinceByCode(parts.provinceCode);

    if (values.json) {
      printJson(io, {
        ok: !hasError,
        parts,
        ...(province ? { province } : {}),
        checkedAgainst: {
          ...(dateOfBirth ? { dateOfBirth: formatDate(dateOfBirth, 'yyyy-mm-dd') } : {}),
          ...(sex ? { sex } : {}),
        },
        issues,
      });
    } else {
      const lines = [
        `ID number       ${parts.idNumber}`,
        `Province        ${parts.provinceCode} ${province ? `${province.fullName}${province.province2025 !== province.name ? ` (since 1 July 2025: ${province.province2025})` : ''}` : '(not in the code table)'}`,
        `Century / sex   ${parts.centuryDigit}: born ${parts.century}–${parts.century + 99}, ${formatSex(parts.sex, 'vi')} (${formatSex(parts.sex, 'en').toLowerCase()})`,
        `Birth year      ${parts.birthYearDigits} → ${parts.birthYearFromNumber}`,
        `Serial          ${parts.serial}`,
      ];
      if (dateOfBirth || sex) {
        const against = [
          dateOfBirth ? `date of birth ${formatDate(dateOfBirth, 'dd/mm/yyyy')}` : '',
          sex ? `sex ${formatSex(sex, 'vi')}` : '',
        ].filter(Boolean);
        lines.push(`Checked against ${against.join(', ')}`);
      }
      lines.push(issues.length === 0 ? 'Issues          none' : `Issues          ${issues.length}`);
      for (const i of issues) lines.push(describeIssue(i));
      lines.push(hasError ? 'Result          NOT VALID' : 'Result          valid');
      io.stdout(`${lines.join('\n')}\n`);
    }
    return hasError ? 1 : 0;
  },
});
