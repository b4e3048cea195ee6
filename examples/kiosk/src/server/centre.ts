// The centre the kiosk serves: procedures (what a citizen can choose), queue services and
// counters. Data, not code: an integrator replaces this table (or passes `centre` to
// createKioskServer) with their own ward's layout.
import type { QueueCounter, QueueService } from '@smart-citizen/queue';

/** A procedure offered on the kiosk: the queue service it joins and the form it pre-fills. */
export interface KioskProcedure {
  id: string;
  /** Queue service the ticket is issued for. */
  serviceId: string;
  /** Built-in form of `@smart-citizen/forms` pre-filled for it. */
  formId: string;
  name: { vi: string; en: string };
}

/** A centre: procedures, queue services and counters. */
export interface KioskCentre {
  procedures: KioskProcedure[];
  services: QueueService[];
  counters: QueueCounter[];
}

/** Four services, four counters: a ward's one-stop-shop (Bộ phận Một cửa). */
export const defaultCentre: KioskCentre = {
  procedures: [
    {
      id: 'residence',
      serviceId: 'residence',
      formId: 'ct01',
      name: { vi: 'Đăng ký cư trú (thường trú, tạm trú)', en: 'Residence registration' },
    },
    {
      id: 'id-card',
      serviceId: 'id-card',
      formId: 'dc02',
      name: { vi: 'Cấp, đổi thẻ Căn cước', en: 'Identity card issue or renewal' },
    },
    {
      id: 'birth',
      serviceId: 'civil-status',
      formId: 'birth-registration',
      name: { vi: 'Đăng ký khai sinh', en: 'Birth registration' },
    },
    {
      id: 'marital-status',
      serviceId: 'civil-status',
      formId: 'marital-status',
      name: { vi: 'Xác nhận tình trạng hôn nhân', en: 'Marital status certificate' },
    },
    {
      id: 'business-household',
      serviceId: 'business',
      formId: 'business-household',
      name: { vi: 'Đăng ký hộ kinh doanh', en: 'Household business registration' },
    },
  ],
  services: [
    { id: 'residence', name: 'Cư trú', prefix: 'C', expectedHandlingMs: 10 * 60_000 },
    { id: 'id-card', name: 'Căn cước', prefix: 'A', expectedHandlingMs: 8 * 60_000 },
    { id: 'civil-status', name: 'Hộ tịch', prefix: 'H', expectedHandlingMs: 12 * 60_000 },
    { id: 'business', name: 'Kinh doanh', prefix: 'B', expectedHandlingMs: 15 * 60_000 },
  ],
  counters: [
    { id: 'quay-1', label: 'Quầy 1', services: ['residence', 'id-card'] },
    { id: 'quay-2', label: 'Quầy 2', services: ['id-card', 'residence'] },
    { id: 'quay-3', label: 'Quầy 3', services: ['civil-status', 'business'] },
    { id: 'quay-4', label: 'Quầy 4', services: ['business', 'civil-status', 'residence'] },
  ],
};
