#include "net/followup_routes.hpp"

#include "net/api_support.hpp"
#include "net/json_codec.hpp"

namespace parley::net {

namespace {

using http::verb;

Response pass_on(const RouteCall& c) {
  auto ok = c.services.chats.pass_on(c.caller(), c.id());
  if (!ok) return error_response(c.req, ok.error());
  return empty_response(c.req, http::status::no_content);
}

using Change = core::Result<core::ConversationSummary> (app::ChatService::*)(const core::Agent&, core::Id);

template <Change change>
Response followup(const RouteCall& c) {
  auto summary = (c.services.chats.*change)(c.caller(), c.id());
  if (!summary) return error_response(c.req, summary.error());
  return ok_json(c.req, {{"conversation", to_json(*summary)}});
}

}  // namespace

void add_followup_routes(RouteTable& t) {
  t.add(verb::post, "/api/v1/conversations/{id}/pass-on", Access::agent, pass_on);
  t.add(verb::post, "/api/v1/conversations/{id}/followup/claim", Access::agent,
        followup<&app::ChatService::claim_followup>);
  t.add(verb::post, "/api/v1/conversations/{id}/followup/release", Access::agent,
        followup<&app::ChatService::release_followup>);
  t.add(verb::post, "/api/v1/conversations/{id}/followup/done", Access::agent,
        followup<&app::ChatService::finish_followup>);
}

}  // namespace parley::net
