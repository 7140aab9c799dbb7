// SqliteStore, deadlines and routing rules: lapsed offers (re-offer or give up), idle
// chats, and the stored rules. Each deadline is settled by a conditional transaction, so it
// fires once however many sweepers run.
#include <string>

#include "store/sqlite/routing_rules_sql.hpp"
#include "store/rows.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "store/sqlite/store_sql.hpp"

namespace parley::store::sqlite {

using core::ConversationStatus;
using core::SenderKind;

std::vector<core::Conversation> SqliteStore::due_offers(Millis now, int limit) {
  auto conn = readers_.lease();
  auto s = conn->prepare(sql({"SELECT ", kConversationColumns,
                              " FROM conversations c WHERE c.status = 'pending' "
                              "AND (c.offer_expires_at <= ?1 OR NOT EXISTS (SELECT 1 FROM presence p "
                              "     WHERE p.agent_id = c.agent_id AND p.expires_at > ?1)) "
                              "ORDER BY c.offer_expires_at LIMIT ?2"}));
  s.bind_all(now, limit);
  std::vector<core::Conversation> out;
  while (s.step()) out.push_back(read_conversation(s));
  return out;
}

Result<ReofferOutcome> SqliteStore::reoffer(const Reoffer& request, const RoutingDecision& decide,
                                            Millis now) {
  return writer_.run([&](Connection& db) -> Result<ReofferOutcome> {
    Transaction tx(db);
    auto c = load_conversation(db, request.conversation_id);
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
        auto r = db.prepare("SELECT route_stage, team_id, team_offers FROM conversations WHERE id = ?1");
        r.bind_all(c->id);
        r.step();
        prior.stage = core::route_stage_from_string(r.text(0)).value_or(core::RouteStage::global);
        prior.team_id = r.opt_int64(1);
        prior.team_offers = static_cast<int>(r.int64(2));
      }
      auto tried = offered_agents(db, c->id);
      auto loads = agent_loads(db, now);
      auto rules = load_rules(db);
      auto facts = facts_of_visitor(db, c->visitor_id, c->page_url);
      choice = decide(RoutingSnapshot{loads, load_pointer(db, "global"), tried, rules, facts, prior});
      if (choice.agent_id) {
        int team_offers = choice.stage == core::RouteStage::team
                              ? (choice.team_id == prior.team_id ? prior.team_offers + 1 : 1)
                              : prior.team_offers;
        advance_pointer(db, choice);
        record_offer(db, c->id, *choice.agent_id, now);
        db.prepare(
              "UPDATE conversations SET agent_id = ?2, offer_expires_at = ?3, "
              "offers_made = offers_made + 1, route_stage = ?4, team_id = ?5, team_offers = ?6 "
              "WHERE id = ?1")
            .bind_all(c->id, *choice.agent_id, now + request.policy.accept_timeout,
                      core::to_string(choice.stage), choice.team_id, team_offers)
            .run();
      }
    }
    ReofferOutcome out;
    out.previous_agent = request.expected_agent;
    if (!choice.agent_id) {
      db.prepare(
            "UPDATE conversations SET status = 'missed', agent_id = NULL, offer_expires_at = NULL, "
            "ended_at = ?2, end_reason = 'no_answer' WHERE id = ?1")
          .bind_all(c->id, now)
          .run();
      out.events.push_back(append_event(db, c->id, SenderKind::system, std::nullopt, "chat.missed",
                                        request.policy.fallback_message, std::nullopt, now));
    }
    out.conversation = *load_conversation(db, c->id);
    tx.commit();
    return out;
  });
}

std::vector<Id> SqliteStore::idle_conversations(Millis idle_since, int limit) {
  auto conn = readers_.lease();
  auto s = conn->prepare(
      "SELECT id FROM conversations WHERE status = 'active' AND last_activity_at <= ?1 "
      "ORDER BY last_activity_at LIMIT ?2");
  s.bind_all(idle_since, limit);
  std::vector<Id> out;
  while (s.step()) out.push_back(s.int64(0));
  return out;
}

Result<Transition> SqliteStore::end_if_idle(Id conversation_id, Millis idle_since, Millis now) {
  return writer_.run([&](Connection& db) -> Result<Transition> {
    Transaction tx(db);
    db.prepare(
          "UPDATE conversations SET status = 'ended', ended_at = ?3, end_reason = 'inactivity' "
          "WHERE id = ?1 AND status = 'active' AND last_activity_at <= ?2")
        .bind_all(conversation_id, idle_since, now)
        .run();
    if (db.changes() == 0) {
      if (!load_conversation(db, conversation_id)) return core::not_found("no such conversation");
      return core::conflict("the conversation is not idle any more");
    }
    auto t = finish_end(db, conversation_id, "inactivity", now);
    tx.commit();
    return t;
  });
}

core::RoutingRules SqliteStore::load_routing_rules() {
  auto conn = readers_.lease();
  return load_rules(*conn);
}

Status SqliteStore::save_routing_rules(const core::RoutingRules& rules) {
  return writer_.run([&](Connection& db) -> Status {
    Transaction tx(db);
    auto ok = save_rules(db, rules);
    if (ok) tx.commit();
    return ok;
  });
}

Result<int> SqliteStore::upsert_account_rules(const std::vector<core::AccountRule>& rules) {
  return writer_.run([&](Connection& db) -> Result<int> {
    Transaction tx(db);
    auto n = upsert_accounts(db, rules);
    if (n) tx.commit();
    return n;
  });
}
}  // namespace parley::store::sqlite
