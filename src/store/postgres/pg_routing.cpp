// PgStore, routing (store/routing_store.hpp): a chat request routed and created in one
// transaction, the re-offer of a lapsed one, and the stored routing rules.
//
// Across nodes, every transaction that reads agent loads and moves a pointer first takes the
// routing lock (lock_routing: the pointer rows, FOR UPDATE), so two nodes route one after the
// other and neither can give an agent a chat over max_chats or move a pointer from a stale
// value. The one-open-chat-per-visitor unique index settles two requests of one visitor, and
// a re-offer holds the conversation's row lock, so it loses cleanly to an accept.
#include "core/activity.hpp"
#include "core/activity_record.hpp"
#include "store/postgres/pg_routing_rules.hpp"
#include "store/postgres/pg_sql.hpp"
#include "store/postgres/pg_store.hpp"
#include "store/rows.hpp"

namespace parley::store::postgres {

using core::ConversationStatus;
using core::SenderKind;

Result<ChatRequestOutcome> PgStore::request_chat(const ChatRequest& request,
                                                 const RoutingDecision& decide, Millis now) {
  return write([&](PgConnection& db) -> Result<ChatRequestOutcome> {
    if (db.query("SELECT 1 FROM visitors WHERE id = $1", request.visitor_id).empty()) {
      return core::not_found("no such visitor");
    }
    // Checked first for a clean error; the partial unique index is the real guard.
    if (!db.query("SELECT 1 FROM conversations WHERE visitor_id = $1 "
                  "AND status IN ('pending', 'active')",
                  request.visitor_id)
             .empty()) {
      return core::conflict("the visitor already has an open chat");
    }

    const auto& f = request.form;
    Id person_id = postgres::upsert_person(
                       db, {f.email, f.name, f.job_title, f.phone, f.company, std::nullopt}, now)
                       .id;
    db.query("UPDATE visitors SET person_id = $2 WHERE id = $1", request.visitor_id, person_id);

    // From here until commit, no other node routes: the loads and pointers read next stay
    // true until this offer is written.
    auto global_pointer = lock_routing(db);
    auto loads = agent_loads(db, now);
    auto rules = load_rules(db);
    auto facts = facts_of(request.form);
    auto choice = decide(RoutingSnapshot{loads, global_pointer, {}, rules, facts, {}});
    advance_pointer(db, choice);
    std::optional<Id> picked = choice.agent_id;
    bool missed = !picked;

    Id conversation_id = 0;
    try {
      auto r = db.query(
          "INSERT INTO conversations (visitor_id, agent_id, status, last_seq, page_url, "
          "created_at, last_activity_at, ended_at, end_reason, offer_expires_at, offers_made, "
          "route_stage, team_id, team_offers) "
          "VALUES ($1, $2, $3, 0, $4, $5, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
          request.visitor_id, picked, missed ? "missed" : "pending", request.form.page_url, now,
          missed ? std::optional<Millis>(now) : std::nullopt,
          missed ? std::optional<std::string>("no_agent") : std::nullopt,
          missed ? std::nullopt : std::optional<Millis>(now + request.accept_timeout),
          missed ? 0 : 1, core::to_string(choice.stage), choice.team_id,
          choice.stage == core::RouteStage::team ? 1 : 0);
      conversation_id = r.int64(0, 0);
    } catch (const PgError& e) {
      // A request of the same visitor committed since the check above. The transaction is
      // aborted now; returning the error makes write() roll it back.
      if (e.is_unique_violation()) return core::conflict("the visitor already has an open chat");
      throw;
    }
    if (picked) record_offer(db, conversation_id, *picked, now);

    insert_activity(db, {0, request.visitor_id, std::string(core::activity::kFormFilled),
                         core::activity::form_filled_record(request.form), std::nullopt,
                         conversation_id, now});

    ChatRequestOutcome outcome;
    outcome.events.push_back(append_event(db, conversation_id, SenderKind::system, std::nullopt,
                                          "chat.requested", request.form.name, std::nullopt,
                                          now));
    if (request.form.question) {
      // The form's question is the visitor's first message: the request banner, the Missed
      // list, search and the transcript all read it like any other.
      outcome.events.push_back(append_event(db, conversation_id, SenderKind::visitor,
                                            std::nullopt, "text", *request.form.question,
                                            std::nullopt, now));
    }
    if (!picked) {
      outcome.events.push_back(append_event(db, conversation_id, SenderKind::system,
                                            std::nullopt, "chat.missed",
                                            request.fallback_message, std::nullopt, now));
    }
    outcome.conversation = *load_conversation(db, conversation_id);
    return outcome;
  });
}

std::vector<AgentLoad> PgStore::agent_loads_at(Millis now) {
  return read([&](PgConnection& db) { return agent_loads(db, now); });
}

Result<ReofferOutcome> PgStore::reoffer(const Reoffer& request, const RoutingDecision& decide,
                                        Millis now) {
  return write([&](PgConnection& db) -> Result<ReofferOutcome> {
    // The row lock first: an accept (or another node's sweeper) either committed already and
    // shows below, or waits for this transaction and then finds the offer moved on.
    auto c = lock_conversation(db, request.conversation_id);
    if (!c) return core::not_found("no such conversation");
    // Claimed by the expected state: whoever moved it first (an accept, the visitor
    // leaving, another node's sweeper) wins, and this call changes nothing.
    if (c->status != ConversationStatus::pending || c->agent_id != request.expected_agent ||
        c->offer_expires_at != request.expected_expiry) {
      return core::conflict("the offer was already settled");
    }
    record_offer(db, c->id, request.expected_agent, now);
    core::RouteChoice choice;
    if (c->offers_made < request.policy.max_offers) {
      core::PriorRoute prior;
      {
        auto r = db.query("SELECT route_stage, team_id, team_offers FROM conversations "
                          "WHERE id = $1",
                          c->id);
        prior.stage = core::route_stage_from_string(r.opt_text(0, 0).value_or(""))
                          .value_or(core::RouteStage::global);
        prior.team_id = r.opt_int64(0, 1);
        prior.team_offers = static_cast<int>(r.int64(0, 2));
      }
      auto global_pointer = lock_routing(db);
      auto tried = offered_agents(db, c->id);
      auto loads = agent_loads(db, now);
      auto rules = load_rules(db);
      auto facts = facts_of_visitor(db, c->visitor_id, c->page_url);
      choice = decide(RoutingSnapshot{loads, global_pointer, tried, rules, facts, prior});
      if (choice.agent_id) {
        int team_offers = choice.stage == core::RouteStage::team
                              ? (choice.team_id == prior.team_id ? prior.team_offers + 1 : 1)
                              : prior.team_offers;
        advance_pointer(db, choice);
        record_offer(db, c->id, *choice.agent_id, now);
        db.query(
            "UPDATE conversations SET agent_id = $2, offer_expires_at = $3, "
            "offers_made = offers_made + 1, route_stage = $4, team_id = $5, team_offers = $6 "
            "WHERE id = $1",
            c->id, *choice.agent_id, now + request.policy.accept_timeout,
            core::to_string(choice.stage), choice.team_id, team_offers);
      }
    }
    ReofferOutcome out;
    out.previous_agent = request.expected_agent;
    if (!choice.agent_id) {
      db.query(
          "UPDATE conversations SET status = 'missed', agent_id = NULL, "
          "offer_expires_at = NULL, ended_at = $2, end_reason = 'no_answer' WHERE id = $1",
          c->id, now);
      out.events.push_back(append_event(db, c->id, SenderKind::system, std::nullopt,
                                        "chat.missed", request.policy.fallback_message,
                                        std::nullopt, now));
    }
    out.conversation = *load_conversation(db, c->id);
    return out;
  });
}

core::RoutingRules PgStore::load_routing_rules() {
  return read([&](PgConnection& db) {
    // Several statements, one snapshot: a save committing meanwhile is seen whole or not at
    // all.
    PgTransaction tx(db, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    auto rules = load_rules(db);
    tx.commit();
    return rules;
  });
}

Status PgStore::save_routing_rules(const core::RoutingRules& rules) {
  return write([&](PgConnection& db) -> Status {
    // The routing lock, so no request on any node routes by rules half-replaced.
    lock_routing(db);
    return save_rules(db, rules);
  });
}

Result<int> PgStore::upsert_account_rules(const std::vector<core::AccountRule>& rules) {
  return write([&](PgConnection& db) -> Result<int> {
    lock_routing(db);
    return upsert_accounts(db, rules);
  });
}

}  // namespace parley::store::postgres
