// The load generator's scenarios. Each runs against a server already listening on a
// loopback port, writes one result file (result.hpp) and returns the process exit code
// (0: the run completed; the budgets are judged by the report, not here).
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

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
  // The agents' server (login, availability, socket); 0: the same as --port. Another node of
  // a cluster puts the agents there and the visitors on --port (cross-node delivery).
  unsigned short agent_port = 0;
  // Other processes whose CPU over the measured window is reported beside the server's:
  // "NAME=PID", the process and its descendants (a PostgreSQL postmaster and its backends).
  std::vector<std::string> cpu_also;
};
int run_chat(const ChatOptions& o);

// The cluster's node failure (PROFILE=cluster): visitors on --port, agents on the first of
// agent_ports; the agents' node is killed (SIGKILL) after `before_s` of chat, the agents'
// sockets reconnect through the rest of the list, resume, resend what was not acknowledged.
struct FailoverOptions {
  CommonOptions common;
  std::vector<unsigned short> agent_ports;  // where agents start, then where they fail over to
  int pairs = 32;
  int agents = 4;
  std::string agent_email = "bench-agent-%d@bench.local";  // %d: 1..agents
  std::string agent_password = "bench-password";
  double rate = 320;            // offered messages/s over all senders (both directions)
  double before_s = 3;          // chat before the kill
  double after_s = 5;           // chat after it
  pid_t kill_pid = 0;           // the agents' node; 0: no kill (a cross-node run, checked alike)
  double drain_timeout_s = 30;
  int body_bytes = 40;
  int setup_concurrency = 16;
};
int run_failover(const FailoverOptions& o);

// One conversation filled with `messages` through the server (a visitor and an agent, each
// with `window` unacknowledged sends), then the agent reconnects and subscribes after_seq 0:
// the time to the full replay, checked seq by seq, and the server's RSS during it.
struct LongChatOptions {
  CommonOptions common;
  long long messages = 100000;
  int window = 32;              // unacknowledged messages per side while filling
  int body_bytes = 40;
  std::string agent_email = "bench-agent-1@bench.local";
  std::string agent_password = "bench-password";
  double rss_interval_s = 0.01; // sample the server's VmRSS this often during the replay
  double settle_s = 1.0;        // pause between the fill and the replay
  double fill_timeout_s = 900;
  double replay_timeout_s = 300;
};
int run_long_chat(const LongChatOptions& o);

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
