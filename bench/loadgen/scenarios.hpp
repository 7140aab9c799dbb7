// The load generator's scenarios. Each runs against a server already listening on a
// loopback port, writes one result file (result.hpp) and returns the process exit code
// (0: the run completed; the budgets are judged by the report, not here).
#pragma once

#include <sys/types.h>

#include <string>

#include "login_storm.hpp"
#include "net.hpp"

namespace parley::bench {

struct CommonOptions {
  Target target;
  bool baseline = false;        // the Node relay: no REST, conversation ids assigned here
  pid_t server_pid = 0;         // for RSS and CPU readings; 0: none
  int source_addresses = 16;    // 127.0.0.2 ... ; 0: the kernel's default source
  std::string out;              // result file
  std::string name;             // result name (defaults from target and scenario)
};

struct IdleOptions {
  CommonOptions common;
  int connections = 1000;
  int procs = 0;                // processes to split over; 0: one per 9,000 connections
  int concurrency = 256;        // handshakes in flight per process
  double settle_s = 2.0;        // wait after the last handshake before reading RSS
  double timeout_s = 180.0;     // whole scenario bound
};
int run_idle(const IdleOptions& o);

struct ChatOptions {
  CommonOptions common;
  // "throughput", "latency", or "login-storm": the latency load for `duration_s` without,
  // then `duration_s` more with the login storm (login_storm.hpp), each phase measured apart.
  std::string mode = "throughput";
  int pairs = 64;
  int agents = 4;
  std::string agent_email = "bench-agent-%d@bench.local";  // %d: 1..agents
  std::string agent_password = "bench-password";
  int window = 8;               // throughput: unacknowledged messages per connection
  double rate = 5000;           // latency: offered messages/s over all senders
  double duration_s = 10;
  double warmup_s = 1;
  long long max_messages = 0;   // stop sending after this many in total (0: time only)
  int body_bytes = 40;
  int threads = 1;
  int setup_concurrency = 32;
  double rss_interval_s = 0;    // sample server RSS this often during the run (0: off)
  double drain_timeout_s = 10;
  bool expect_all_delivered = false;  // exit 1 unless every sent message was acked and delivered
  StormOptions storm;           // login-storm only
};
int run_chat(const ChatOptions& o);

struct InboxOptions {
  CommonOptions common;
  std::string agent_email = "bench-agent-1@bench.local";
  std::string admin_email = "bench-admin@bench.local";
  std::string password = "bench-password";
  int requests = 200;           // per measured query kind and role
  int pages = 5;                // pages followed per paged walk
  double span_days = 90;        // how far back the seeded activity goes (for deep cursors)
};
int run_inbox(const InboxOptions& o);

}  // namespace parley::bench
