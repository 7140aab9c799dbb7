// `parley serve`'s webhook flags and the worker's transport: deliveries are POSTed through
// net/guarded_fetch (the address guard, the admin's allow-list, a deadline, no redirects).
#pragma once

#include <CLI/CLI.hpp>

#include "app/webhook_service.hpp"

namespace parley::cli {

struct WebhookFlags {
  // The first retry's delay; later ones and the 24 h give-up scale with it (core/webhook.hpp).
  // Tests use ~100 ms.
  core::Millis retry_base = core::kWebhookDefaultBase;
  // How long a node keeps a claimed delivery (requests time out well inside it).
  core::Millis lease = core::kWebhookLease;
  // How often the worker looks for due deliveries.
  core::Millis poll = 250;
};

void add_webhook_flags(CLI::App& serve, WebhookFlags& flags);

app::WebhookTransport webhook_transport();

}  // namespace parley::cli
