#include "store_contract.hpp"

#include <algorithm>

#include <stdlib.h>

#include <atomic>

namespace parley::store::testing {

ScratchDir::ScratchDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "parley-store-XXXXXX").string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

ScratchDir::~ScratchDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string error_code(const core::Error& e) { return core::to_string(e.code); }

void StoreContract::SetUp() {
  if (auto why = GetParam().missing(); !why.empty()) GTEST_SKIP() << why;
  dir_ = std::make_unique<ScratchDir>();
  store_ = GetParam().open(dir_->path());
}

void StoreContract::TearDown() {
  store_.reset();
  dir_.reset();
}

core::Agent StoreContract::agent(const std::string& name, bool available, int max_chats,
                                 core::Role role) {
  NewAgent a{name, name + "@example.com", "$argon2id$stub", role, max_chats};
  auto created = store().create_agent(a);
  if (!created) throw std::runtime_error("create_agent failed: " + created.error().message);
  // With the Inbox open for the whole test (the presence tests make their own agents go).
  Id ids[] = {created->id};
  store().report_presence(kTestNode, ids, now() + kOnlineForTheTest);
  if (!available) return created.value();
  return store().set_availability_override(created->id, true, now()).value();
}

core::Visitor StoreContract::visitor() {
  return store().create_visitor("visitor-token-" + std::to_string(++next_token_), tick());
}

core::PreChatForm StoreContract::form(const std::string& name, const std::string& email) {
  core::PreChatForm f;
  f.name = name;
  f.email = email;
  f.page_url = "https://example.com/pricing";
  return f;
}

RoutingDecision StoreContract::route_to(std::optional<Id> agent_id) {
  return [agent_id](const RoutingSnapshot&) {
    return core::RouteChoice{agent_id, core::RouteStage::global, {}};
  };
}

RoutingDecision StoreContract::round_robin() { return toggle_round_robin(); }

RoutingDecision toggle_round_robin() {
  return [](const RoutingSnapshot& s) {
    std::vector<core::RoutingCandidate> c;
    for (const auto& l : s.agents) {
      bool on = l.agent.override_state && l.agent.override_state->available;
      c.push_back({l.agent.id, on, l.open_chats, l.agent.max_chats, true, l.online});
    }
    return core::route(s.rules, s.visitor, c, s.global_pointer, s.already_offered, s.prior);
  };
}

core::Conversation StoreContract::pending_chat(std::optional<Id> agent_id, Id visitor_id) {
  if (visitor_id == 0) visitor_id = visitor().id;
  ChatRequest r{visitor_id, form("Vera", "vera" + std::to_string(visitor_id) + "@example.com"),
                "Sorry, nobody is here."};
  auto out = store().request_chat(r, route_to(agent_id), tick());
  if (!out) throw std::runtime_error("request_chat failed: " + out.error().message);
  return out->conversation;
}

core::Conversation StoreContract::active_chat(Id agent_id, Id visitor_id) {
  auto c = pending_chat(agent_id, visitor_id);
  auto t = store().accept_chat(c.id, agent_id, tick());
  if (!t) throw std::runtime_error("accept_chat failed: " + t.error().message);
  return t->conversation;
}

core::Conversation StoreContract::ended_chat(Id agent_id, Id visitor_id) {
  auto c = active_chat(agent_id, visitor_id);
  auto t = store().end_conversation(c.id, "agent", tick());
  if (!t) throw std::runtime_error("end_conversation failed: " + t.error().message);
  return t->conversation;
}

core::Message StoreContract::send(Id conversation_id, const std::string& body,
                                  const std::string& client_id, core::SenderKind sender,
                                  std::optional<Id> agent_id) {
  core::Actor author;
  if (sender == core::SenderKind::agent) {
    author = {sender, agent_id.value_or(0), core::Viewer{agent_id.value_or(0), false}};
  } else {
    author = core::Actor::of_visitor(store().find_conversation(conversation_id)->visitor_id);
  }
  auto out = store().append_message({conversation_id, author, body, client_id}, tick());
  if (!out) throw std::runtime_error("append_message failed: " + out.error().message);
  return out->message;
}

}  // namespace parley::store::testing
