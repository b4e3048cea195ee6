import { describe, expect, it } from 'vitest';
import {
  attributesFromIdentity,
  classifyCitizen,
  validatePriorityPolicy,
  vietnamPriorityPolicy,
} from './priorityPolicy.js';

const on = new Date(Date.UTC(2026, 10, 29, 3));

describe('classifyCitizen with the Vietnamese template', () => {
  it('places a citizen aged 60 or more in the elderly group, from the date of birth', () => {
    expect(classifyCitizen({ dateOfBirth: { year: 1966, month: 11, day: 29 } }, on).groupId).toBe('elderly');
    expect(classifyCitizen({ dateOfBirth: { year: 1966, month: 11, day: 30 } }, on).groupId).toBe('general');
    expect(classifyCitizen({ dateOfBirth: { year: 1940 } }, on).groupId).toBe('elderly');
  });

  it('reports an uncertain age instead of guessing for a year-only date of birth', () => {
    const c = classifyCitizen({ dateOfBirth: { year: 1966 } }, on);
    expect(c.groupId).toBe('general');
    expect(c.issues.map((i) => i.code)).toEqual(['queue/age-uncertain']);
    expect(JSON.stringify(c.issues)).not.toContain('1966');
  });

  it('places children under 6 and those accompanying them', () => {
    expect(classifyCitizen({ dateOfBirth: { year: 2021, month: 1, day: 1 } }, on).groupId).toBe('child-under-6');
    expect(classifyCitizen({ dateOfBirth: { year: 2020, month: 11, day: 29 } }, on).groupId).toBe('general');
    expect(classifyCitizen({ accompanyingChildUnder6: true }, on).groupId).toBe('child-under-6');
  });

  it('takes the highest priority among eligible groups', () => {
    const c = classifyCitizen(
      { dateOfBirth: { year: 1940, month: 1, day: 1 }, disability: 'severe', meritorious: true },
      on,
    );
    expect(c.groupId).toBe('severe-disability');
    expect(c.priority).toBe(2);
    expect(c.eligibleGroupIds).toEqual(['severe-disability', 'meritorious', 'elderly']);
    expect(classifyCitizen({ disability: 'mild' }, on).groupId).toBe('general');
    expect(classifyCitizen({ pregnant: true }, on).groupId).toBe('pregnant');
    expect(classifyCitizen({}, on)).toMatchObject({ groupId: 'general', priority: 0, issues: [] });
  });

  it('ignores an invalid date of birth instead of crashing', () => {
    expect(classifyCitizen({ dateOfBirth: { year: 1950, month: 13 } }, on).groupId).toBe('general');
  });

  it('builds attributes from an identity', () => {
    expect(attributesFromIdentity({ dateOfBirth: { year: 1950 } }, { pregnant: false })).toEqual({
      pregnant: false,
      dateOfBirth: { year: 1950 },
    });
  });

  it('cites a legal basis for every priority group, and validates policies', () => {
    for (const g of vietnamPriorityPolicy.groups) if (g.priority > 0) expect(g.legalBasis?.length).toBeGreaterThan(0);
    expect(() => validatePriorityPolicy(vietnamPriorityPolicy)).not.toThrow();
    const bad = [
      { ...vietnamPriorityPolicy, defaultGroupId: 'nobody' },
      { defaultGroupId: 'a', groups: [{ id: 'a', name: 'A', priority: 0.5, criteria: [] }] },
      { defaultGroupId: 'a', groups: [{ id: 'a', name: 'A', priority: 0, weight: 0, criteria: [] }] },
      {
        defaultGroupId: 'a',
        groups: [
          { id: 'a', name: 'A', priority: 0, criteria: [] },
          { id: 'a', name: 'B', priority: 1, criteria: [] },
        ],
      },
    ];
    for (const p of bad) {
      expect(() => validatePriorityPolicy(p)).toThrow(
        expect.objectContaining({ pkg: 'queue', code: 'queue/invalid-config' }),
      );
    }
  });
});
