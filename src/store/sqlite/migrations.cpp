#include "store/sqlite/migrations.hpp"

#include <cstdint>
#include <string>

namespace parley::store::sqlite {
namespace {

// Append new steps at the end; never edit a step that has shipped. Emails are stored
// lower-cased by the store (the CHECKs make a slip loud instead of a silent duplicate).
// Times are INTEGER milliseconds since the Unix epoch.
constexpr Migration kMigrations[] = {
    {1, R"sql(
CREATE TABLE agents (
  id            INTEGER PRIMARY KEY,
  name          TEXT    NOT NULL,
  email         TEXT    NOT NULL UNIQUE CHECK (email = lower(email)),
  password_hash TEXT    NOT NULL,
  role          TEXT    NOT NULL CHECK (role IN ('agent', 'admin')),
  available     INTEGER NOT NULL DEFAULT 0 CHECK (available IN (0, 1)),
  max_chats     INTEGER NOT NULL DEFAULT 10 CHECK (max_chats >= 0),
  active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);

CREATE TABLE sessions (
  token_hash TEXT    PRIMARY KEY,
  agent_id   INTEGER NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_by_agent ON sessions(agent_id);

CREATE TABLE people (
  id         INTEGER PRIMARY KEY,
  email      TEXT NOT NULL UNIQUE CHECK (email = lower(email)),
  name       TEXT,
  job_title  TEXT,
  phone      TEXT,
  company    TEXT,
  crm_status TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE visitors (
  id         INTEGER PRIMARY KEY,
  token_hash TEXT    NOT NULL UNIQUE,
  person_id  INTEGER REFERENCES people(id),
  created_at INTEGER NOT NULL
);
CREATE INDEX visitors_by_person ON visitors(person_id);

CREATE TABLE conversations (
  id               INTEGER PRIMARY KEY,
  visitor_id       INTEGER NOT NULL REFERENCES visitors(id),
  agent_id         INTEGER REFERENCES agents(id),
  status           TEXT    NOT NULL CHECK (status IN ('pending', 'active', 'ended', 'missed')),
  last_seq         INTEGER NOT NULL DEFAULT 0,
  page_url         TEXT    NOT NULL DEFAULT '',
  created_at       INTEGER NOT NULL,
  last_activity_at INTEGER NOT NULL,
  accepted_at      INTEGER,
  ended_at         INTEGER,
  end_reason       TEXT,
  -- Body of the newest text message, kept on append so the inbox list needs no
  -- per-row subquery into messages.
  last_text        TEXT
);
-- The inbox list: newest activity first, keyset-paged.
CREATE INDEX conversations_by_activity ON conversations(last_activity_at DESC, id DESC);
-- Open-chat counts for routing, and "my active chats".
CREATE INDEX conversations_by_agent_status ON conversations(agent_id, status);
-- A visitor's newest conversation.
CREATE INDEX conversations_by_visitor ON conversations(visitor_id, id);
-- At most one open (pending or active) chat per visitor, enforced by the database.
CREATE UNIQUE INDEX conversations_one_open_per_visitor
  ON conversations(visitor_id) WHERE status IN ('pending', 'active');

-- The per-conversation event log: text messages and life-cycle events share one seq.
CREATE TABLE messages (
  id              INTEGER PRIMARY KEY,
  conversation_id INTEGER NOT NULL REFERENCES conversations(id),
  seq             INTEGER NOT NULL,
  sender          TEXT    NOT NULL CHECK (sender IN ('visitor', 'agent', 'system')),
  agent_id        INTEGER REFERENCES agents(id),
  kind            TEXT    NOT NULL,
  body            TEXT    NOT NULL,
  client_id       TEXT,
  created_at      INTEGER NOT NULL,
  UNIQUE (conversation_id, seq)
);
-- Idempotent sends: a retried client id finds the stored message instead of a second row.
CREATE UNIQUE INDEX messages_client_id
  ON messages(conversation_id, client_id) WHERE client_id IS NOT NULL;

CREATE TABLE activities (
  id              INTEGER PRIMARY KEY,
  visitor_id      INTEGER NOT NULL REFERENCES visitors(id),
  type            TEXT    NOT NULL,
  detail          TEXT    NOT NULL DEFAULT '',
  conversation_id INTEGER REFERENCES conversations(id),
  at              INTEGER NOT NULL
);
CREATE INDEX activities_by_visitor ON activities(visitor_id, at DESC, id DESC);

-- Round-robin pointers, one row per scope ('global' now; teams later). No foreign key:
-- the pointer is a position in id order and stays meaningful if that agent is removed.
CREATE TABLE routing_state (
  scope         TEXT PRIMARY KEY,
  last_agent_id INTEGER
) WITHOUT ROWID;
)sql"},
    {2, R"sql(
-- Availability (issue 4): the agent's zone and weekly blocks; the toggle is agents.available
-- plus override_set_at (NULL: no override); status_check_at is when the effective status
-- next changes by itself, so the sweeper can tell the agent and admins at that moment.
ALTER TABLE agents ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';
ALTER TABLE agents ADD COLUMN schedule TEXT NOT NULL DEFAULT '';
ALTER TABLE agents ADD COLUMN override_set_at INTEGER;
ALTER TABLE agents ADD COLUMN sound INTEGER NOT NULL DEFAULT 1 CHECK (sound IN (0, 1));
ALTER TABLE agents ADD COLUMN status_check_at INTEGER;
CREATE INDEX agents_status_checks ON agents(status_check_at) WHERE status_check_at IS NOT NULL;

-- Offers (accept window and re-routing) and inactivity, swept by deadline.
ALTER TABLE conversations ADD COLUMN offer_expires_at INTEGER;
ALTER TABLE conversations ADD COLUMN offers_made INTEGER NOT NULL DEFAULT 0;
CREATE INDEX conversations_offers_due ON conversations(offer_expires_at) WHERE status = 'pending';
CREATE INDEX conversations_idle ON conversations(last_activity_at) WHERE status = 'active';
CREATE TABLE conversation_offers (
  conversation_id INTEGER NOT NULL REFERENCES conversations(id),
  agent_id        INTEGER NOT NULL REFERENCES agents(id),
  offered_at      INTEGER NOT NULL,
  PRIMARY KEY (conversation_id, agent_id)
) WITHOUT ROWID;

-- Admin settings, one row per key.
CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
)sql"},
    {3, R"sql(
-- Routing rules (issue 4): teams with members, account rules (email domain or company ->
-- agent), custom rules (conditions -> agent or team, by priority). Team pointers live in
-- routing_state under 'team:<id>'; the default team in settings.
CREATE TABLE teams (
  id   INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE
);
CREATE TABLE team_members (
  team_id  INTEGER NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
  agent_id INTEGER NOT NULL REFERENCES agents(id),
  PRIMARY KEY (team_id, agent_id)
) WITHOUT ROWID;
CREATE TABLE account_rules (
  id       INTEGER PRIMARY KEY,
  kind     TEXT    NOT NULL CHECK (kind IN ('domain', 'company')),
  value    TEXT    NOT NULL CHECK (value = lower(value)),
  agent_id INTEGER NOT NULL REFERENCES agents(id),
  UNIQUE (kind, value)
);
CREATE TABLE custom_rules (
  id         INTEGER PRIMARY KEY,
  priority   INTEGER NOT NULL,
  conditions TEXT    NOT NULL,
  agent_id   INTEGER REFERENCES agents(id),
  team_id    INTEGER REFERENCES teams(id) ON DELETE CASCADE
);
-- How a pending request was routed, for its re-offers.
ALTER TABLE conversations ADD COLUMN route_stage TEXT;
ALTER TABLE conversations ADD COLUMN team_id INTEGER;
ALTER TABLE conversations ADD COLUMN team_offers INTEGER NOT NULL DEFAULT 0;
)sql"},
    {4, R"sql(
-- The Inbox views (issue 5). Read state: the newest seq the assigned agent / the visitor
-- has seen (unread = the visitor's text messages after agent_read_seq).
ALTER TABLE conversations ADD COLUMN agent_read_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE conversations ADD COLUMN visitor_read_seq INTEGER NOT NULL DEFAULT 0;
-- The page the visitor is on now, for the chat header.
ALTER TABLE visitors ADD COLUMN page_url TEXT;
ALTER TABLE visitors ADD COLUMN page_title TEXT;
-- Page visits and clicked links keep their URL.
ALTER TABLE activities ADD COLUMN url TEXT;

-- Search over people's name and email, kept in step with the people table. (Message text
-- is indexed in a file of its own, see search_index.hpp.)
CREATE VIRTUAL TABLE people_search USING fts5(
  name, email, content = 'people', content_rowid = 'id',
  tokenize = 'unicode61 remove_diacritics 2');
INSERT INTO people_search (people_search) VALUES ('rebuild');
CREATE TRIGGER people_search_insert AFTER INSERT ON people BEGIN
  INSERT INTO people_search (rowid, name, email) VALUES (new.id, new.name, new.email);
END;
CREATE TRIGGER people_search_update AFTER UPDATE OF name, email ON people BEGIN
  INSERT INTO people_search (people_search, rowid, name, email)
    VALUES ('delete', old.id, old.name, old.email);
  INSERT INTO people_search (rowid, name, email) VALUES (new.id, new.name, new.email);
END;
)sql"},
    {5, R"sql(
-- Calendar sharing and meetings (issue 6). Calendar Agents take no chats.
ALTER TABLE agents ADD COLUMN takes_chats INTEGER NOT NULL DEFAULT 1 CHECK (takes_chats IN (0, 1));

-- An agent's meeting calendar: weekly bookable blocks (agents.schedule's encoding), slot
-- rules, and where imported busy times come from.
CREATE TABLE meeting_calendars (
  agent_id         INTEGER PRIMARY KEY REFERENCES agents(id),
  time_zone        TEXT    NOT NULL DEFAULT 'UTC',
  blocks           TEXT    NOT NULL DEFAULT '',
  duration_minutes INTEGER NOT NULL DEFAULT 30,
  buffer_minutes   INTEGER NOT NULL DEFAULT 0,
  notice_minutes   INTEGER NOT NULL DEFAULT 0,
  horizon_days     INTEGER NOT NULL DEFAULT 14,
  ics_url          TEXT,
  busy_updated_at  INTEGER
);
-- Busy times imported from the agent's iCalendar file or URL (replaced on each import).
CREATE TABLE busy_times (
  agent_id INTEGER NOT NULL REFERENCES agents(id),
  start_at INTEGER NOT NULL,
  end_at   INTEGER NOT NULL
);
CREATE INDEX busy_times_by_agent ON busy_times(agent_id, end_at);

CREATE TABLE meetings (
  id                INTEGER PRIMARY KEY,
  agent_id          INTEGER NOT NULL REFERENCES agents(id),
  visitor_id        INTEGER REFERENCES visitors(id),
  conversation_id   INTEGER REFERENCES conversations(id),
  booker_email      TEXT    NOT NULL,
  start_at          INTEGER NOT NULL,
  end_at            INTEGER NOT NULL,
  status            TEXT    NOT NULL CHECK (status IN ('scheduled', 'rescheduled', 'cancelled')),
  sequence          INTEGER NOT NULL DEFAULT 0,
  manage_token_hash TEXT    NOT NULL UNIQUE,  -- the visitor's manage link, stored hashed
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL
);
-- Two bookings of one slot: the database keeps exactly one (the booking transaction also
-- checks overlaps with buffers; this index is the guard that needs no reading).
CREATE UNIQUE INDEX meetings_one_per_slot ON meetings(agent_id, start_at) WHERE status <> 'cancelled';
CREATE INDEX meetings_by_agent ON meetings(agent_id, end_at);
CREATE INDEX meetings_by_start ON meetings(start_at DESC);
)sql"},
    {6, R"sql(
-- Which agents have a live socket, per node, until when (app/presence.hpp): renewed by each
-- node's heartbeat, so a node that stops reporting loses its agents once their rows expire.
CREATE TABLE presence (
  agent_id   INTEGER NOT NULL REFERENCES agents(id),
  node_id    TEXT    NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (agent_id, node_id)
) WITHOUT ROWID;
)sql"},
    {7, R"sql(
-- Team management (issue 13): the avatar's letters an agent chose ('' = from the name),
-- and invitation / password-reset links, stored hashed, single use, with an expiry.
ALTER TABLE agents ADD COLUMN initials TEXT NOT NULL DEFAULT '';
CREATE TABLE password_links (
  token_hash TEXT    PRIMARY KEY,
  agent_id   INTEGER NOT NULL REFERENCES agents(id),
  expires_at INTEGER NOT NULL
);
CREATE INDEX password_links_by_agent ON password_links(agent_id);
)sql"},
    {8, R"sql(
-- Follow-up of missed chats (store/followup_store.hpp): one row per claimed chat; the
-- primary key lets exactly one of two racing claims in. Released claims are deleted.
CREATE TABLE followups (
  conversation_id INTEGER PRIMARY KEY REFERENCES conversations(id),
  agent_id        INTEGER NOT NULL REFERENCES agents(id),
  claimed_at      INTEGER NOT NULL,
  done_at         INTEGER
);
-- The Missed filter and count read missed chats by status.
CREATE INDEX conversations_missed ON conversations(last_activity_at DESC, id DESC)
  WHERE status = 'missed';
)sql"},
    {9, R"sql(
-- The agent's language (issue 13): 'sv', 'en', or '' = follow the browser.
ALTER TABLE agents ADD COLUMN language TEXT NOT NULL DEFAULT '';
)sql"},
    {10, R"sql(
-- API tokens (store/api_token_store.hpp): the secret only as its hash; scopes as their
-- names separated by spaces; revoked tokens stay listed.
CREATE TABLE api_tokens (
  id           INTEGER PRIMARY KEY,
  name         TEXT    NOT NULL,
  scopes       TEXT    NOT NULL,
  prefix       TEXT    NOT NULL,
  secret_hash  TEXT    NOT NULL UNIQUE,
  created_by   INTEGER NOT NULL REFERENCES agents(id),
  created_at   INTEGER NOT NULL,
  last_used_at INTEGER,
  revoked_at   INTEGER
);
)sql"},
    {11, R"sql(
-- Webhooks (store/webhook_store.hpp). Endpoints: events as " a b " (see core/webhook.hpp).
CREATE TABLE webhook_endpoints (
  id         INTEGER PRIMARY KEY,
  url        TEXT    NOT NULL,
  events     TEXT    NOT NULL,
  secret     TEXT    NOT NULL,
  active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  created_at INTEGER NOT NULL
);
-- The outbox: one row per event some active endpoint asked for, written by the triggers
-- below inside the transaction of the change itself. The payload is rendered when sent.
CREATE TABLE webhook_outbox (
  id              INTEGER PRIMARY KEY,
  type            TEXT    NOT NULL,
  conversation_id INTEGER,
  seq             INTEGER,
  meeting_id      INTEGER,
  person_id       INTEGER,
  created_at      INTEGER NOT NULL
);
-- One row per (event, endpoint). Claimed by a conditional update of the lease columns;
-- started_at is where the 24 h of retries count from (the event, or a redeliver).
CREATE TABLE webhook_deliveries (
  id              INTEGER PRIMARY KEY,
  outbox_id       INTEGER NOT NULL REFERENCES webhook_outbox(id),
  endpoint_id     INTEGER NOT NULL REFERENCES webhook_endpoints(id),
  conversation_id INTEGER,
  status          TEXT    NOT NULL DEFAULT 'pending'
                          CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  started_at      INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  lease_owner     TEXT,
  lease_until     INTEGER,
  created_at      INTEGER NOT NULL
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries(endpoint_id, id DESC);
-- "Is an earlier delivery of this conversation to this endpoint still waiting?"
CREATE INDEX webhook_deliveries_in_order ON webhook_deliveries(endpoint_id, conversation_id, id)
  WHERE status = 'pending';
CREATE TABLE webhook_attempts (
  id          INTEGER PRIMARY KEY,
  delivery_id INTEGER NOT NULL REFERENCES webhook_deliveries(id),
  attempt     INTEGER NOT NULL,
  at          INTEGER NOT NULL,
  http_status INTEGER,
  error       TEXT    NOT NULL DEFAULT '',
  snippet     TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX webhook_attempts_by_delivery ON webhook_attempts(delivery_id, id DESC);

-- Conversation events: text -> message.created, chat.accepted -> chat.started, the others
-- by their own name. Nothing is written unless some active endpoint wants the event.
CREATE TRIGGER webhook_on_message AFTER INSERT ON messages
WHEN new.kind IN ('text', 'chat.requested', 'chat.accepted', 'chat.ended', 'chat.missed')
 AND EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.active = 1 AND instr(e.events,
       ' ' || CASE new.kind WHEN 'text' THEN 'message.created'
                            WHEN 'chat.accepted' THEN 'chat.started' ELSE new.kind END || ' ') > 0)
BEGIN
  INSERT INTO webhook_outbox (type, conversation_id, seq, created_at)
    VALUES (CASE new.kind WHEN 'text' THEN 'message.created'
                          WHEN 'chat.accepted' THEN 'chat.started' ELSE new.kind END,
            new.conversation_id, new.seq, new.created_at);
  INSERT INTO webhook_deliveries (outbox_id, endpoint_id, conversation_id, started_at,
                                  next_attempt_at, created_at)
    SELECT o.id, e.id, o.conversation_id, o.created_at, o.created_at, o.created_at
    FROM webhook_outbox o JOIN webhook_endpoints e
      ON e.active = 1 AND instr(e.events, ' ' || o.type || ' ') > 0
    WHERE o.id = last_insert_rowid();
END;

-- Meetings: booked on insert; moved (a new sequence) or cancelled on update.
CREATE TRIGGER webhook_on_meeting_booked AFTER INSERT ON meetings
WHEN EXISTS (SELECT 1 FROM webhook_endpoints e
             WHERE e.active = 1 AND instr(e.events, ' meeting.booked ') > 0)
BEGIN
  INSERT INTO webhook_outbox (type, conversation_id, meeting_id, created_at)
    VALUES ('meeting.booked', new.conversation_id, new.id, new.updated_at);
  INSERT INTO webhook_deliveries (outbox_id, endpoint_id, conversation_id, started_at,
                                  next_attempt_at, created_at)
    SELECT o.id, e.id, o.conversation_id, o.created_at, o.created_at, o.created_at
    FROM webhook_outbox o JOIN webhook_endpoints e
      ON e.active = 1 AND instr(e.events, ' ' || o.type || ' ') > 0
    WHERE o.id = last_insert_rowid();
END;
CREATE TRIGGER webhook_on_meeting_changed AFTER UPDATE OF status, sequence ON meetings
WHEN (new.status = 'cancelled' AND old.status <> 'cancelled'
      AND EXISTS (SELECT 1 FROM webhook_endpoints e
                  WHERE e.active = 1 AND instr(e.events, ' meeting.cancelled ') > 0))
  OR (new.status <> 'cancelled' AND new.sequence > old.sequence
      AND EXISTS (SELECT 1 FROM webhook_endpoints e
                  WHERE e.active = 1 AND instr(e.events, ' meeting.rescheduled ') > 0))
BEGIN
  INSERT INTO webhook_outbox (type, conversation_id, meeting_id, created_at)
    VALUES (CASE WHEN new.status = 'cancelled' THEN 'meeting.cancelled'
                 ELSE 'meeting.rescheduled' END,
            new.conversation_id, new.id, new.updated_at);
  INSERT INTO webhook_deliveries (outbox_id, endpoint_id, conversation_id, started_at,
                                  next_attempt_at, created_at)
    SELECT o.id, e.id, o.conversation_id, o.created_at, o.created_at, o.created_at
    FROM webhook_outbox o JOIN webhook_endpoints e
      ON e.active = 1 AND instr(e.events, ' ' || o.type || ' ') > 0
    WHERE o.id = last_insert_rowid();
END;

-- People: created, or any field changed.
CREATE TRIGGER webhook_on_person_inserted AFTER INSERT ON people
WHEN EXISTS (SELECT 1 FROM webhook_endpoints e
             WHERE e.active = 1 AND instr(e.events, ' person.updated ') > 0)
BEGIN
  INSERT INTO webhook_outbox (type, person_id, created_at)
    VALUES ('person.updated', new.id, new.updated_at);
  INSERT INTO webhook_deliveries (outbox_id, endpoint_id, started_at, next_attempt_at, created_at)
    SELECT o.id, e.id, o.created_at, o.created_at, o.created_at
    FROM webhook_outbox o JOIN webhook_endpoints e
      ON e.active = 1 AND instr(e.events, ' person.updated ') > 0
    WHERE o.id = last_insert_rowid();
END;
CREATE TRIGGER webhook_on_person_updated AFTER UPDATE ON people
WHEN (new.email IS NOT old.email OR new.name IS NOT old.name OR new.job_title IS NOT old.job_title
      OR new.phone IS NOT old.phone OR new.company IS NOT old.company
      OR new.crm_status IS NOT old.crm_status)
 AND EXISTS (SELECT 1 FROM webhook_endpoints e
             WHERE e.active = 1 AND instr(e.events, ' person.updated ') > 0)
BEGIN
  INSERT INTO webhook_outbox (type, person_id, created_at)
    VALUES ('person.updated', new.id, new.updated_at);
  INSERT INTO webhook_deliveries (outbox_id, endpoint_id, started_at, next_attempt_at, created_at)
    SELECT o.id, e.id, o.created_at, o.created_at, o.created_at
    FROM webhook_outbox o JOIN webhook_endpoints e
      ON e.active = 1 AND instr(e.events, ' person.updated ') > 0
    WHERE o.id = last_insert_rowid();
END;
)sql"},
    {12, R"sql(
-- The webhook trigger on messages now exists only while an active endpoint wants one of its
-- events: sqlite/message_webhook_trigger.cpp creates or drops it with each endpoint change
-- and at open (a trigger whose WHEN is false still costs every inserted message).
DROP TRIGGER webhook_on_message;
)sql"},
    {13, R"sql(
-- messages.sender's CHECK as three comparisons instead of an IN list: SQLite builds an IN list
-- of three constants as a temporary B-tree, and a CHECK codes that build into every INSERT
-- (opened, filled and closed per message: docs/performance.md, "Issue 15, fourth levers"). The
-- rule is the same, so the definition is edited in place, the procedure SQLite documents for
-- changing a CHECK (ALTER TABLE, "other kinds of table schema changes"); no row is rewritten.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
   SET sql = replace(sql, 'CHECK (sender IN (''visitor'', ''agent'', ''system''))',
                     'CHECK (sender = ''visitor'' OR sender = ''agent'' OR sender = ''system'')')
 WHERE type = 'table' AND name = 'messages';
-- RESET: writing sqlite_schema off again, and this connection parses the new text at once.
PRAGMA writable_schema = RESET;
)sql", true},
    {14, R"sql(
-- The idempotency index leads with the client id. A batch of many chats' messages wrote one
-- page of the old (conversation_id, client_id) index per chat, each to the WAL; client ids
-- that begin with the time (the widget's and the Inbox's: a prefix, then Date.now() in
-- base 36) now all go in at the same end of the index, a few pages per batch. It halved the
-- WAL written per message at saturation (docs/performance.md, "Issue 15, seventh levers").
-- Random client ids land on a page of their own either way. Still unique per conversation.
DROP INDEX messages_client_id;
CREATE UNIQUE INDEX messages_client_id
  ON messages(client_id, conversation_id) WHERE client_id IS NOT NULL;
)sql"},
};

// The last step of SQLite's procedure for editing sqlite_schema: other connections to the
// file see the changed cookie and parse the schema again before their next statement.
void bump_schema_cookie(Connection& conn) {
  std::int64_t next = 0;
  {
    auto read = conn.prepare("PRAGMA schema_version");
    read.step();
    next = read.int64(0) + 1;
  }
  conn.exec(("PRAGMA schema_version = " + std::to_string(next)).c_str());
}

}  // namespace

std::span<const Migration> migrations() { return kMigrations; }

int schema_version(Connection& conn) {
  auto stmt = conn.prepare("PRAGMA user_version");
  stmt.step();
  return static_cast<int>(stmt.int64(0));
}

void apply_migrations(Connection& conn) {
  // One IMMEDIATE transaction around read-version-then-apply, so two processes opening a
  // fresh file at once cannot both apply step 1. user_version is transactional.
  conn.exec("BEGIN IMMEDIATE");
  try {
    int current = schema_version(conn);
    int newest = migrations().back().version;
    if (current > newest) {
      throw StoreFailure("sqlite: database schema version " + std::to_string(current) +
                         " is newer than this binary knows (" + std::to_string(newest) + ")");
    }
    for (const auto& m : migrations()) {
      if (m.version <= current) continue;
      conn.exec(m.sql);
      if (m.edits_schema_text) bump_schema_cookie(conn);
      conn.exec(("PRAGMA user_version = " + std::to_string(m.version)).c_str());
    }
    conn.exec("COMMIT");
  } catch (...) {
    conn.exec("ROLLBACK");
    throw;
  }
}

}  // namespace parley::store::sqlite
