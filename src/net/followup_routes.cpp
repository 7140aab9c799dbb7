#include "net/followup_routes.hpp"

#include "net/api_support.hpp"
#include "net/json_codec.hpp"

namespace parley::net {

std::optional<Response> handle_followup_api(Services& s, const Request& req,
                                            const core::Agent& caller,
                                            std::span<const std::string_view> parts) {
  if (parts.size() < 5 || parts[2] != "conversations") return std::nullopt;
  auto id = parse_id(parts[3]);
  if (!id) return std::nullopt;
  if (parts.size() == 5 && parts[4] == "pass-on") {
    return only(req, http::verb::post, [&] {
      auto ok = s.chats.pass_on(caller, *id);
      if (!ok) return error_response(req, ok.error());
      return empty_response(req, http::status::no_content);
    });
  }
  if (parts.size() != 6 || parts[4] != "followup") return std::nullopt;
  auto action = parts[5];
  using Change = core::Result<core::ConversationSummary> (app::ChatService::*)(const core::Agent&,
                                                                             core::Id);
  Change change = action == "claim"     ? &app::ChatService::claim_followup
                  : action == "release" ? &app::ChatService::release_followup
                  : action == "done"    ? &app::ChatService::finish_followup
                                        : nullptr;
  if (change == nullptr) return std::nullopt;
  return only(req, http::verb::post, [&] {
    auto summary = (s.chats.*change)(caller, *id);
    if (!summary) return error_response(req, summary.error());
    return ok_json(req, {{"conversation", to_json(*summary)}});
  });
}

}  // namespace parley::net
