#include "store/sqlite/sqlite_rows.hpp"

#include <sstream>

namespace parley::store::sqlite {

core::SenderKind sender_from_string(std::string_view s) {
  if (s == "visitor") return core::SenderKind::visitor;
  if (s == "agent") return core::SenderKind::agent;
  return core::SenderKind::system;
}

core::Agent read_agent(const Statement& s, int i) {
  core::Agent a;
  a.id = s.int64(i);
  a.name = s.text(i + 1);
  a.email = s.text(i + 2);
  a.role = core::role_from_string(s.text(i + 3)).value_or(core::Role::agent);
  bool toggle = s.int64(i + 4) != 0;
  a.max_chats = static_cast<int>(s.int64(i + 5));
  a.active = s.int64(i + 6) != 0;
  a.time_zone = s.text(i + 7);
  a.schedule = decode_schedule(s.text(i + 8));
  if (auto set_at = s.opt_int64(i + 9)) a.override_state = core::AvailabilityOverride{toggle, *set_at};
  a.sound = s.int64(i + 10) != 0;
  a.takes_chats = s.int64(i + 11) != 0;
  return a;
}

std::string encode_schedule(const core::Schedule& schedule) {
  std::string out;
  for (const auto& b : schedule.blocks) {
    if (!out.empty()) out += ';';
    out += std::to_string(b.weekday) + ' ' + std::to_string(b.start_minute) + ' ' +
           std::to_string(b.end_minute);
  }
  return out;
}

core::Schedule decode_schedule(std::string_view text) {
  core::Schedule schedule;
  std::istringstream in{std::string(text)};
  std::string item;
  while (std::getline(in, item, ';')) {
    std::istringstream fields(item);
    core::WeeklyBlock b;
    if (fields >> b.weekday >> b.start_minute >> b.end_minute) schedule.blocks.push_back(b);
  }
  return schedule;
}

core::Person read_person(const Statement& s, int i) {
  core::Person p;
  p.id = s.int64(i);
  p.email = s.text(i + 1);
  p.name = s.opt_text(i + 2);
  p.job_title = s.opt_text(i + 3);
  p.phone = s.opt_text(i + 4);
  p.company = s.opt_text(i + 5);
  p.crm_status = s.opt_text(i + 6);
  return p;
}

core::Visitor read_visitor(const Statement& s, int i) {
  core::Visitor v;
  v.id = s.int64(i);
  v.person_id = s.opt_int64(i + 1);
  v.created_at = s.int64(i + 2);
  v.page_url = s.opt_text(i + 3);
  v.page_title = s.opt_text(i + 4);
  return v;
}

core::Conversation read_conversation(const Statement& s, int i) {
  core::Conversation c;
  c.id = s.int64(i);
  c.visitor_id = s.int64(i + 1);
  c.agent_id = s.opt_int64(i + 2);
  auto status = core::conversation_status_from_string(s.text(i + 3));
  if (!status) throw StoreFailure("sqlite: unknown conversation status " + s.text(i + 3));
  c.status = *status;
  c.last_seq = s.int64(i + 4);
  c.page_url = s.text(i + 5);
  c.created_at = s.int64(i + 6);
  c.last_activity_at = s.int64(i + 7);
  c.accepted_at = s.opt_int64(i + 8);
  c.ended_at = s.opt_int64(i + 9);
  c.end_reason = s.opt_text(i + 10);
  c.offer_expires_at = s.opt_int64(i + 11);
  c.offers_made = static_cast<int>(s.int64(i + 12));
  c.agent_read_seq = s.int64(i + 13);
  c.visitor_read_seq = s.int64(i + 14);
  return c;
}

core::Message read_message(const Statement& s, int i) {
  core::Message m;
  m.id = s.int64(i);
  m.conversation_id = s.int64(i + 1);
  m.seq = s.int64(i + 2);
  m.sender = sender_from_string(s.text(i + 3));
  m.agent_id = s.opt_int64(i + 4);
  m.kind = s.text(i + 5);
  m.body = s.text(i + 6);
  m.client_id = s.opt_text(i + 7);
  m.created_at = s.int64(i + 8);
  return m;
}

core::Activity read_activity(const Statement& s, int i) {
  core::Activity a;
  a.id = s.int64(i);
  a.visitor_id = s.int64(i + 1);
  a.type = s.text(i + 2);
  a.detail = s.text(i + 3);
  a.url = s.opt_text(i + 4);
  a.conversation_id = s.opt_int64(i + 5);
  a.at = s.int64(i + 6);
  return a;
}

core::Meeting read_meeting(const Statement& s, int i) {
  core::Meeting m;
  m.id = s.int64(i);
  m.agent_id = s.int64(i + 1);
  m.visitor_id = s.opt_int64(i + 2);
  m.conversation_id = s.opt_int64(i + 3);
  m.booker_email = s.text(i + 4);
  m.start = s.int64(i + 5);
  m.end = s.int64(i + 6);
  auto status = core::meeting_status_from_string(s.text(i + 7));
  if (!status) throw StoreFailure("sqlite: unknown meeting status " + s.text(i + 7));
  m.status = *status;
  m.sequence = static_cast<int>(s.int64(i + 8));
  m.created_at = s.int64(i + 9);
  return m;
}

}  // namespace parley::store::sqlite
