import type { PostgresMigration } from '../pgSupport.js';

/**
 * One step of the queue schema, recorded in `<schema>.sc_queue_migrations` (applied by the same
 * runner as the store's). `s` is the quoted schema name.
 */
export type QueueMigration = PostgresMigration;

const statuses = `'waiting', 'called', 'serving', 'done', 'no-show', 'on-hold'`;

export const queueMigrations: readonly QueueMigration[] = [
  {
    version: 1,
    name: 'tickets, series, fair-share state, counters',
    sql: (s) => `
CREATE SEQUENCE ${s}.sc_queue_ticket_seq;
CREATE SEQUENCE ${s}.sc_queue_call_seq;
CREATE TABLE ${s}.sc_queue_tickets (
  queue_id text NOT NULL,
  id bigint NOT NULL,
  number text NOT NULL,
  service_id text NOT NULL,
  group_id text NOT NULL,
  status text NOT NULL CHECK (status IN (${statuses})),
  priority integer NOT NULL,
  weight double precision NOT NULL,
  score double precision NOT NULL,
  issued_at bigint NOT NULL,
  enqueued_at bigint NOT NULL,
  appointment_id text,
  counter_id text,
  call_seq bigint,
  called_at bigint,
  serving_at bigint,
  done_at bigint,
  recalls integer NOT NULL DEFAULT 0,
  transfers integer NOT NULL DEFAULT 0,
  PRIMARY KEY (queue_id, id)
);
CREATE UNIQUE INDEX sc_queue_tickets_appointment ON ${s}.sc_queue_tickets (queue_id, appointment_id)
  WHERE appointment_id IS NOT NULL;
CREATE INDEX sc_queue_tickets_waiting_service ON ${s}.sc_queue_tickets (queue_id, service_id, score, id)
  WHERE status = 'waiting';
CREATE INDEX sc_queue_tickets_waiting_score ON ${s}.sc_queue_tickets (queue_id, score, id)
  WHERE status = 'waiting';
CREATE INDEX sc_queue_tickets_waiting_time ON ${s}.sc_queue_tickets (queue_id, enqueued_at, id)
  WHERE status = 'waiting';
CREATE INDEX sc_queue_tickets_issued ON ${s}.sc_queue_tickets (queue_id, issued_at);
CREATE INDEX sc_queue_tickets_done ON ${s}.sc_queue_tickets (queue_id, service_id, done_at DESC, id DESC)
  WHERE status = 'done';
CREATE TABLE ${s}.sc_queue_series (
  queue_id text NOT NULL,
  service_id text NOT NULL,
  series_key text NOT NULL,
  last integer NOT NULL,
  PRIMARY KEY (queue_id, service_id, series_key)
);
CREATE TABLE ${s}.sc_queue_fair (
  queue_id text NOT NULL,
  service_id text NOT NULL,
  group_id text NOT NULL,
  last_tag double precision NOT NULL,
  PRIMARY KEY (queue_id, service_id, group_id)
);
CREATE TABLE ${s}.sc_queue_fair_max (
  queue_id text NOT NULL,
  service_id text NOT NULL,
  max_tag double precision NOT NULL,
  PRIMARY KEY (queue_id, service_id)
);
CREATE TABLE ${s}.sc_queue_counters (
  queue_id text NOT NULL,
  counter_id text NOT NULL,
  open boolean NOT NULL,
  updated_at bigint NOT NULL,
  PRIMARY KEY (queue_id, counter_id)
);`,
  },
  {
    version: 2,
    name: 'issue, call-next and transition functions',
    sql: (s) => `
CREATE FUNCTION ${s}.sc_queue_score(p_queue text, p_service text, p_group text, p_priority integer,
  p_weight double precision, p_enq bigint, p_kind text, p_aging double precision)
RETURNS double precision LANGUAGE plpgsql AS $fn$
DECLARE v double precision; mx double precision; lt double precision; tag double precision;
BEGIN
  IF p_kind = 'weighted-interleave' THEN
    INSERT INTO ${s}.sc_queue_fair_max AS m VALUES (p_queue, p_service, 0)
      ON CONFLICT (queue_id, service_id) DO UPDATE SET max_tag = m.max_tag
      RETURNING m.max_tag INTO mx;
    SELECT score INTO v FROM ${s}.sc_queue_tickets
      WHERE queue_id = p_queue AND service_id = p_service AND status = 'waiting'
      ORDER BY score, id LIMIT 1;
    v := coalesce(v, mx);
    SELECT last_tag INTO lt FROM ${s}.sc_queue_fair
      WHERE queue_id = p_queue AND service_id = p_service AND group_id = p_group;
    IF lt IS NOT NULL AND lt > v THEN v := lt; END IF;
    tag := v + 1.0::double precision / p_weight;
    INSERT INTO ${s}.sc_queue_fair VALUES (p_queue, p_service, p_group, tag)
      ON CONFLICT (queue_id, service_id, group_id) DO UPDATE SET last_tag = excluded.last_tag;
    IF tag > mx THEN
      UPDATE ${s}.sc_queue_fair_max SET max_tag = tag WHERE queue_id = p_queue AND service_id = p_service;
    END IF;
    RETURN tag;
  ELSIF p_kind = 'strict-priority' THEN
    RETURN p_enq::double precision - p_priority::double precision * 1e13::double precision;
  ELSIF p_kind = 'aging' THEN
    RETURN p_enq::double precision - p_priority::double precision * p_aging;
  END IF;
  RETURN p_enq::double precision;
END $fn$;

CREATE FUNCTION ${s}.sc_queue_issue(p_queue text, p_service text, p_prefix text, p_digits integer,
  p_series text, p_group text, p_priority integer, p_weight double precision, p_kind text,
  p_aging double precision, p_now bigint, p_enq bigint, p_appt text)
RETURNS SETOF ${s}.sc_queue_tickets LANGUAGE plpgsql AS $fn$
DECLARE n integer; sc double precision; t ${s}.sc_queue_tickets; modulus integer;
BEGIN
  INSERT INTO ${s}.sc_queue_series AS x VALUES (p_queue, p_service, p_series, 1)
    ON CONFLICT (queue_id, service_id, series_key) DO UPDATE SET last = x.last + 1
    RETURNING x.last INTO n;
  sc := ${s}.sc_queue_score(p_queue, p_service, p_group, p_priority, p_weight, p_enq, p_kind, p_aging);
  modulus := (10 ^ p_digits)::integer - 1;
  INSERT INTO ${s}.sc_queue_tickets (queue_id, id, number, service_id, group_id, status, priority, weight,
      score, issued_at, enqueued_at, appointment_id)
    VALUES (p_queue, nextval('${s}.sc_queue_ticket_seq'),
      p_prefix || lpad((((n - 1) % modulus) + 1)::text, p_digits, '0'), p_service, p_group, 'waiting',
      p_priority, p_weight, sc, p_now, p_enq, p_appt)
    RETURNING * INTO t;
  RETURN NEXT t;
END $fn$;

CREATE FUNCTION ${s}.sc_queue_call_next(p_queue text, p_counter text, p_services text[], p_mode text,
  p_bound double precision, p_now bigint)
RETURNS SETOF ${s}.sc_queue_tickets LANGUAGE plpgsql AS $fn$
DECLARE pick bigint; svc text; t ${s}.sc_queue_tickets;
BEGIN
  IF p_bound IS NOT NULL THEN
    SELECT id INTO pick FROM ${s}.sc_queue_tickets
      WHERE queue_id = p_queue AND status = 'waiting' AND service_id = ANY (p_services)
        AND enqueued_at <= p_now - p_bound
      ORDER BY enqueued_at, id LIMIT 1 FOR UPDATE SKIP LOCKED;
  END IF;
  IF pick IS NULL THEN
    IF p_mode = 'ordered' THEN
      FOREACH svc IN ARRAY p_services LOOP
        SELECT id INTO pick FROM ${s}.sc_queue_tickets
          WHERE queue_id = p_queue AND status = 'waiting' AND service_id = svc
          ORDER BY score, id LIMIT 1 FOR UPDATE SKIP LOCKED;
        EXIT WHEN pick IS NOT NULL;
      END LOOP;
    ELSE
      SELECT id INTO pick FROM ${s}.sc_queue_tickets
        WHERE queue_id = p_queue AND status = 'waiting' AND service_id = ANY (p_services)
        ORDER BY score, id LIMIT 1 FOR UPDATE SKIP LOCKED;
    END IF;
  END IF;
  IF pick IS NULL THEN RETURN; END IF;
  UPDATE ${s}.sc_queue_tickets SET status = 'called', counter_id = p_counter, called_at = p_now,
      call_seq = nextval('${s}.sc_queue_call_seq')
    WHERE queue_id = p_queue AND id = pick
    RETURNING * INTO t;
  RETURN NEXT t;
END $fn$;

CREATE FUNCTION ${s}.sc_queue_transition(p_queue text, p_id bigint, p_action text, p_from text[], p_to text,
  p_now bigint, p_counter text, p_to_service text, p_kind text, p_aging double precision)
RETURNS SETOF ${s}.sc_queue_tickets LANGUAGE plpgsql AS $fn$
DECLARE t ${s}.sc_queue_tickets;
BEGIN
  SELECT * INTO t FROM ${s}.sc_queue_tickets WHERE queue_id = p_queue AND id = p_id FOR UPDATE;
  IF NOT FOUND THEN RAISE EXCEPTION 'QUEUE_NOT_FOUND' USING ERRCODE = 'P0002'; END IF;
  IF NOT (t.status = ANY (p_from)) THEN
    RAISE EXCEPTION 'QUEUE_INVALID_TRANSITION %', t.status USING ERRCODE = 'P0001';
  END IF;
  IF p_action = 'start' THEN
    t.serving_at := p_now;
    IF p_counter IS NOT NULL THEN t.counter_id := p_counter; END IF;
  ELSIF p_action = 'complete' THEN
    t.done_at := p_now;
  ELSIF p_action = 'recall' THEN
    t.recalls := t.recalls + 1;
    t.called_at := p_now;
  ELSIF p_action = 'transfer' THEN
    IF t.status = 'waiting' THEN
      UPDATE ${s}.sc_queue_tickets SET status = 'on-hold' WHERE queue_id = p_queue AND id = p_id;
    END IF;
    t.service_id := p_to_service;
    t.transfers := t.transfers + 1;
    t.score := ${s}.sc_queue_score(p_queue, p_to_service, t.group_id, t.priority, t.weight, t.enqueued_at, p_kind, p_aging);
  END IF;
  t.status := p_to;
  UPDATE ${s}.sc_queue_tickets SET status = t.status, service_id = t.service_id, score = t.score,
      counter_id = t.counter_id, serving_at = t.serving_at, done_at = t.done_at, called_at = t.called_at,
      recalls = t.recalls, transfers = t.transfers
    WHERE queue_id = p_queue AND id = p_id;
  RETURN NEXT t;
END $fn$;`,
  },
  {
    version: 3,
    name: 'transactional outbox of queue events',
    // Each operation writes its event here in the same statement (one transaction) as the ticket
    // change; delivery (NOTIFY) follows the commit and stamps delivered_at. An event whose
    // process died between the two is delivered by the next sweep of any live backend.
    sql: (s) => `
CREATE TABLE ${s}.sc_queue_events (
  id bigserial PRIMARY KEY,
  queue_id text NOT NULL,
  event jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  delivered_at timestamptz
);
CREATE INDEX sc_queue_events_pending ON ${s}.sc_queue_events (id) WHERE delivered_at IS NULL;
CREATE INDEX sc_queue_events_delivered ON ${s}.sc_queue_events (queue_id, delivered_at);`,
  },
];
