import {
  issue,
  ageOn,
  isValidPartialDate,
  type Issue,
  type CitizenIdentity,
  type PartialDate,
} from '@smart-citizen/core';
import { QueueError } from './errors.js';
import type { CitizenGroup } from './types.js';

/** Disability levels of Luật Người khuyết tật 2010, Điều 3 khoản 2. */
export type DisabilityLevel = 'especially-severe' | 'severe' | 'mild';

/**
 * Facts about the citizen that decide the group. The age comes from the identity's date of
 * birth; the others are declared at the kiosk or checked by staff (a disability certificate,
 * a meritorious-person card): the SDK cannot read them from a CCCD.
 */
export interface CitizenAttributes {
  dateOfBirth?: PartialDate;
  disability?: DisabilityLevel;
  pregnant?: boolean;
  /** The citizen comes with (or on behalf of) a child under 6. */
  accompanyingChildUnder6?: boolean;
  /** Người có công với cách mạng. */
  meritorious?: boolean;
}

/**
 * One way to belong to a group: every field present must hold. Ages are checked with
 * certainty: with a partial date of birth (year only, as on old cards) a citizen meets
 * `minAgeYears` only if the youngest possible age does, and `maxAgeYearsExclusive` only if the
 * oldest possible age does.
 */
export interface GroupCriterion {
  minAgeYears?: number;
  maxAgeYearsExclusive?: number;
  disability?: DisabilityLevel[];
  pregnant?: true;
  accompanyingChildUnder6?: true;
  meritorious?: true;
}

/** A citizen group with the criteria that place a citizen in it (any criterion suffices). */
export interface PriorityGroup extends CitizenGroup {
  criteria: GroupCriterion[];
}

/** The groups of a centre and the group of everyone else. */
export interface PriorityPolicy {
  groups: PriorityGroup[];
  /** Group of citizens who meet no criterion. */
  defaultGroupId: string;
}

/**
 * Default template drawn from Vietnamese law. A centre adapts priorities and weights to its
 * own rules (see docs/queue.md for the texts and how each citation was checked).
 */
export const vietnamPriorityPolicy: PriorityPolicy = {
  defaultGroupId: 'general',
  groups: [
    {
      id: 'severe-disability',
      name: 'Người khuyết tật đặc biệt nặng, nặng',
      priority: 2,
      weight: 1,
      criteria: [{ disability: ['especially-severe', 'severe'] }],
      legalBasis: ['Luật Người khuyết tật số 51/2010/QH12, Điều 3 khoản 2 (mức độ đặc biệt nặng, nặng)'],
    },
    {
      id: 'meritorious',
      name: 'Người có công với cách mạng',
      priority: 1,
      weight: 1,
      criteria: [{ meritorious: true }],
      legalBasis: ['Pháp lệnh Ưu đãi người có công với cách mạng số 02/2020/UBTVQH14 (hiệu lực 01/07/2021), Điều 2'],
    },
    {
      id: 'pregnant',
      name: 'Phụ nữ mang thai',
      priority: 1,
      weight: 1,
      criteria: [{ pregnant: true }],
      legalBasis: [
        'Nghị định 61/2018/NĐ-CP về cơ chế một cửa, một cửa liên thông (tiếp nhận tại Bộ phận Một cửa); mức ưu tiên do trung tâm quy định',
      ],
    },
    {
      id: 'child-under-6',
      name: 'Trẻ em dưới 6 tuổi (hoặc người đi cùng)',
      priority: 1,
      weight: 1,
      criteria: [{ maxAgeYearsExclusive: 6 }, { accompanyingChildUnder6: true }],
      legalBasis: [
        'Luật Trẻ em số 102/2016/QH13, Điều 1 (trẻ em: dưới 16 tuổi); ngưỡng dưới 6 tuổi theo thực tiễn ưu tiên tiếp đón, trung tâm có thể đổi',
      ],
    },
    {
      id: 'elderly',
      name: 'Người cao tuổi (từ đủ 60 tuổi)',
      priority: 1,
      weight: 1,
      criteria: [{ minAgeYears: 60 }],
      legalBasis: ['Luật Người cao tuổi số 39/2009/QH12, Điều 2 (từ đủ 60 tuổi) và Điều 3 (quyền của người cao tuổi)'],
    },
    { id: 'general', name: 'Công dân', priority: 0, weight: 2, criteria: [] },
  ],
};

/** Result of {@link classifyCitizen}. */
export interface Classification {
  groupId: string;
  priority: number;
  /** Every group the citizen qualifies for, highest priority first. */
  eligibleGroupIds: string[];
  /** E.g. `queue/age-uncertain` when a partial date of birth leaves an age criterion open. */
  issues: Issue[];
}

/** Checks a policy: unique ids, a default group, finite priorities, positive weights. Throws `queue/invalid-config`. */
export function validatePriorityPolicy(policy: PriorityPolicy): void {
  const ids = new Set<string>();
  for (const g of policy.groups) {
    if (typeof g.id !== 'string' || !/^[A-Za-z0-9_.-]{1,64}$/.test(g.id)) {
      throw new QueueError('queue/invalid-config', 'a group id must be 1–64 letters, digits, -, _ or .');
    }
    if (ids.has(g.id)) throw new QueueError('queue/invalid-config', `duplicate group id ${g.id}`);
    ids.add(g.id);
    if (!Number.isInteger(g.priority) || Math.abs(g.priority) > 100) {
      throw new QueueError('queue/invalid-config', `group ${g.id}: priority must be an integer in [-100, 100]`);
    }
    if (g.weight !== undefined && !(g.weight > 0 && Number.isFinite(g.weight))) {
      throw new QueueError('queue/invalid-config', `group ${g.id}: weight must be > 0`);
    }
    if (!Array.isArray(g.criteria)) {
      throw new QueueError('queue/invalid-config', `group ${g.id}: criteria must be a list`);
    }
  }
  if (!ids.has(policy.defaultGroupId)) {
    throw new QueueError('queue/invalid-config', 'defaultGroupId must name one of the groups');
  }
}

type Tri = 'yes' | 'no' | 'unknown';

function ageCheck(dob: PartialDate | undefined, on: Date, c: GroupCriterion): Tri {
  if (c.minAgeYears === undefined && c.maxAgeYearsExclusive === undefined) return 'yes';
  if (!dob || !isValidPartialDate(dob)) return 'unknown';
  const youngest = ageOn(dob, on);
  const oldest = ageOn({ year: dob.year, month: dob.month ?? 1, day: dob.day ?? 1 }, on);
  let result: Tri = 'yes';
  if (c.minAgeYears !== undefined) {
    if (youngest >= c.minAgeYears) result = 'yes';
    else if (oldest < c.minAgeYears) return 'no';
    else result = 'unknown';
  }
  if (c.maxAgeYearsExclusive !== undefined) {
    if (oldest < c.maxAgeYearsExclusive) return result;
    if (youngest >= c.maxAgeYearsExclusive) return 'no';
    return 'unknown';
  }
  return result;
}

function criterionHolds(c: GroupCriterion, a: CitizenAttributes, on: Date): Tri {
  if (c.disability && !(a.disability && c.disability.includes(a.disability))) return 'no';
  if (c.pregnant && a.pregnant !== true) return 'no';
  if (c.accompanyingChildUnder6 && a.accompanyingChildUnder6 !== true) return 'no';
  if (c.meritorious && a.meritorious !== true) return 'no';
  return ageCheck(a.dateOfBirth, on, c);
}

/**
 * Places a citizen in the highest-priority group they qualify for.
 *
 * @param attributes - facts about the citizen (date of birth from the identity, declared statuses)
 * @param on - the date of the visit
 * @param policy - @default vietnamPriorityPolicy
 * @returns the group, every eligible group, and issues (never personal data)
 * @example
 * classifyCitizen({ dateOfBirth: { year: 1950, month: 3, day: 1 } }, new Date()).groupId // 'elderly'
 */
export function classifyCitizen(
  attributes: CitizenAttributes,
  on: Date,
  policy: PriorityPolicy = vietnamPriorityPolicy,
): Classification {
  const issues: Issue[] = [];
  const eligible: { id: string; priority: number; order: number }[] = [];
  policy.groups.forEach((g, order) => {
    let best: Tri = 'no';
    for (const c of g.criteria) {
      const r = criterionHolds(c, attributes, on);
      if (r === 'yes') {
        best = 'yes';
        break;
      }
      if (r === 'unknown') best = 'unknown';
    }
    if (best === 'yes') eligible.push({ id: g.id, priority: g.priority, order });
    else if (best === 'unknown' && attributes.dateOfBirth) {
      issues.push(
        issue(
          'queue/age-uncertain',
          'warning',
          `the partial date of birth does not settle the age criterion of group ${g.id}; staff may assign it`,
          'dateOfBirth',
        ),
      );
    }
  });
  eligible.sort((a, b) => b.priority - a.priority || a.order - b.order);
  const top = eligible[0];
  const def = policy.groups.find((g) => g.id === policy.defaultGroupId);
  if (!top && !def) throw new QueueError('queue/invalid-config', 'defaultGroupId must name one of the groups');
  return {
    groupId: top?.id ?? policy.defaultGroupId,
    priority: top?.priority ?? def!.priority,
    eligibleGroupIds: eligible.map((e) => e.id),
    issues,
  };
}

/** Attributes from an identity (its date of birth) plus declared statuses. */
export function attributesFromIdentity(
  identity: Pick<CitizenIdentity, 'dateOfBirth'>,
  declared: Omit<CitizenAttributes, 'dateOfBirth'> = {},
): CitizenAttributes {
  return identity.dateOfBirth ? { ...declared, dateOfBirth: identity.dateOfBirth } : { ...declared };
}
