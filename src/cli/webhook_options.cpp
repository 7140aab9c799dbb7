#include "cli/webhook_options.hpp"

#include "net/guarded_fetch.hpp"

namespace parley::cli {

void add_webhook_flags(CLI::App& serve, WebhookFlags& flags) {
  serve.add_option("--webhook-retry-base", flags.retry_base,
                   "Milliseconds before a failed webhook delivery's first retry (default 10000); "
                   "later retries and the 24 h give-up scale with it")
      ->check(CLI::Range(10, 3'600'000));
  serve.add_option("--webhook-lease", flags.lease,
                   "Milliseconds a node keeps a claimed webhook delivery (default 30000)")
      ->check(CLI::Range(1'000, 600'000));
  serve.add_option("--webhook-poll", flags.poll,
                   "Milliseconds between looks for due webhook deliveries (default 250)")
      ->check(CLI::Range(10, 60'000));
}

app::WebhookTransport webhook_transport() {
  app::WebhookTransport t;
  t.post = [](const app::WebhookRequest& r) {
    net::FetchOptions o;
    o.allowed_hosts = r.allowed_hosts;
    o.deadline = std::chrono::milliseconds(r.deadline);
    o.max_redirects = 0;
    o.accept = "*/*";
    o.user_agent = "Parley-Webhooks";
    app::WebhookAnswer answer;
    auto posted = net::guarded_post(r.url, r.body, r.headers, o);
    if (!posted) {
      answer.error = posted.error().message;
      return answer;
    }
    answer.status = posted->status;
    answer.body = std::move(posted->body);
    return answer;
  };
  t.check = [](const std::string& url, const std::vector<std::string>& allowed) {
    return net::check_fetch_url(url, {.allowed_hosts = allowed});
  };
  return t;
}

}  // namespace parley::cli
