// parley-loadgen: drives a running `parley serve` (or the Node baseline) over real HTTP and
// WebSocket and writes what it measured as JSON. See bench/README.md and docs/performance.md.
//
//   parley-loadgen idle       --port P --server-pid PID --connections N [--procs K]
//   parley-loadgen throughput --port P --server-pid PID --pairs 64 --agents 4 --window 8
//   parley-loadgen latency    --port P --server-pid PID --pairs 64 --agents 4 --rate 5000
//   parley-loadgen login-storm --port P --server-pid PID --pairs 64 --agents 4 --rate 1000
//                             --storm-clients 50 --storm-accounts 10
//   parley-loadgen inbox      --port P --agent-email ... --admin-email ...
//   parley-loadgen long-chat  --port P --server-pid PID --messages 100000 --window 32
//   parley-loadgen failover   --port A --agent-ports B,A --kill-pid PID_B --pairs 32 --rate 320
//   parley-loadgen report     --dir bench/results --profile short
// Add --baseline to drive the Node relay (no REST; conversation ids assigned here), and
// --agent-port P2 to put the agents on another node of a cluster (visitors stay on --port).
#include <CLI/CLI.hpp>
#include <iostream>

#include "report.hpp"
#include "result.hpp"
#include "scenarios.hpp"

using namespace parley::bench;

namespace {
void add_common(CLI::App* cmd, CommonOptions& c) {
  cmd->add_option("--host", c.target.host, "Server address (loopback only)");
  cmd->add_option("--port", c.target.port, "Server port")->required();
  cmd->add_option("--server-pid", c.server_pid, "Server pid, for RSS and CPU readings");
  cmd->add_option("--source-addresses", c.source_addresses,
                  "Bind client sockets round robin to 127.0.0.2..(1+N); 0: do not bind");
  cmd->add_option("--out", c.out, "Result file (JSON)");
  cmd->add_option("--name", c.name, "Result name (default: <target>-<scenario>)");
  cmd->add_flag("--baseline", c.baseline, "Target is the Node baseline relay");
}

bool loopback(const std::string& host) { return host.rfind("127.", 0) == 0 || host == "::1"; }
}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"parley-loadgen: Parley's load generator"};
  cli.require_subcommand(1);

  IdleOptions idle;
  auto* idle_cmd = cli.add_subcommand("idle", "Hold N idle visitor connections; server RSS per connection");
  add_common(idle_cmd, idle.common);
  idle_cmd->add_option("--connections", idle.connections)->check(CLI::Range(1, 200000));
  idle_cmd->add_option("--procs", idle.procs, "Processes to split over (0: one per 9,000)");
  idle_cmd->add_option("--concurrency", idle.concurrency, "Handshakes in flight per process");
  idle_cmd->add_option("--settle", idle.settle_s, "Seconds to wait before reading RSS");
  idle_cmd->add_option("--timeout", idle.timeout_s, "Seconds the scenario may take");

  ChatOptions chat;
  auto add_chat = [&](CLI::App* cmd) {
    add_common(cmd, chat.common);
    cmd->add_option("--pairs", chat.pairs, "Visitor/agent pairs")->check(CLI::Range(1, 9000));
    cmd->add_option("--agents", chat.agents, "Agents (accounts bench-agent-1..M must exist)")
        ->check(CLI::Range(1, 1000));
    cmd->add_option("--agent-email", chat.agent_email, "Agent login pattern; %d is 1..M");
    cmd->add_option("--agent-password", chat.agent_password);
    cmd->add_option("--duration", chat.duration_s, "Measured seconds")->check(CLI::Range(0.1, 7200.0));
    cmd->add_option("--warmup", chat.warmup_s, "Seconds before measuring")->check(CLI::Range(0.0, 600.0));
    cmd->add_option("--messages", chat.max_messages, "Stop after this many messages in total (0: time only)");
    cmd->add_option("--body-bytes", chat.body_bytes)->check(CLI::Range(1, 4000));
    cmd->add_option("--threads", chat.threads, "Load generator I/O threads")->check(CLI::Range(1, 64));
    cmd->add_option("--setup-concurrency", chat.setup_concurrency);
    cmd->add_option("--rss-interval", chat.rss_interval_s, "Sample server RSS every S seconds");
    cmd->add_option("--drain-timeout", chat.drain_timeout_s);
    cmd->add_flag("--expect-all-delivered", chat.expect_all_delivered,
                  "Exit 1 unless every message sent was acknowledged and delivered");
    cmd->add_option("--agent-port", chat.agent_port,
                    "The agents' server port (another node of a cluster); default: --port");
    cmd->add_option("--cpu-also", chat.cpu_also,
                    "NAME=PID: also report the CPU of PID and its descendants over the window");
  };
  auto* tp_cmd = cli.add_subcommand("throughput", "Messages as fast as a bounded window allows");
  add_chat(tp_cmd);
  tp_cmd->add_option("--window", chat.window, "Unacknowledged messages per connection")->check(CLI::Range(1, 10000));
  auto* lat_cmd = cli.add_subcommand("latency", "Messages at a fixed offered rate; latency from the schedule");
  add_chat(lat_cmd);
  lat_cmd->add_option("--rate", chat.rate, "Offered messages/s over all senders")->check(CLI::Range(1.0, 1e7));
  auto* storm_cmd = cli.add_subcommand(
      "login-storm", "The latency load for --duration s, then --duration s more beside a login storm");
  add_chat(storm_cmd);
  storm_cmd->add_option("--rate", chat.rate, "Offered messages/s over all senders")->check(CLI::Range(1.0, 1e7));
  storm_cmd->add_option("--storm-clients", chat.storm.clients, "Concurrent login clients (0: no storm)")
      ->check(CLI::Range(0, 5000));
  storm_cmd->add_option("--storm-accounts", chat.storm.accounts, "Accounts to spread them over (must exist)")
      ->check(CLI::Range(1, 100000));
  storm_cmd->add_option("--storm-email", chat.storm.email, "Login account pattern; %d is 1..K");
  storm_cmd->add_option("--storm-password", chat.storm.password);
  storm_cmd->add_flag("--storm-wrong-password", chat.storm.wrong_password,
                      "Log in with a wrong password (answered 401) instead");

  FailoverOptions failover;
  auto* fo_cmd = cli.add_subcommand(
      "failover", "Cluster: kill -9 the agents' node mid-chat; reconnect, resume, nothing acknowledged lost");
  add_common(fo_cmd, failover.common);
  fo_cmd->add_option("--agent-ports", failover.agent_ports,
                     "The agents' node, then the ports to fail over to (comma separated)")
      ->required()
      ->delimiter(',');
  fo_cmd->add_option("--kill-pid", failover.kill_pid, "The agents' node: sent SIGKILL after --before s");
  fo_cmd->add_option("--pairs", failover.pairs)->check(CLI::Range(1, 5000));
  fo_cmd->add_option("--agents", failover.agents)->check(CLI::Range(1, 1000));
  fo_cmd->add_option("--agent-email", failover.agent_email, "Agent login pattern; %d is 1..M");
  fo_cmd->add_option("--agent-password", failover.agent_password);
  fo_cmd->add_option("--rate", failover.rate, "Offered messages/s over all senders")->check(CLI::Range(1.0, 1e6));
  fo_cmd->add_option("--before", failover.before_s, "Seconds of chat before the kill")->check(CLI::Range(0.0, 600.0));
  fo_cmd->add_option("--after", failover.after_s, "Seconds of chat after it")->check(CLI::Range(0.0, 600.0));
  fo_cmd->add_option("--drain-timeout", failover.drain_timeout_s);
  fo_cmd->add_option("--body-bytes", failover.body_bytes)->check(CLI::Range(1, 4000));
  fo_cmd->add_option("--setup-concurrency", failover.setup_concurrency)->check(CLI::Range(1, 1000));

  InboxOptions inbox;
  auto* inbox_cmd = cli.add_subcommand("inbox", "Inbox list and search latency");
  add_common(inbox_cmd, inbox.common);
  inbox_cmd->add_option("--agent-email", inbox.agent_email);
  inbox_cmd->add_option("--admin-email", inbox.admin_email);
  inbox_cmd->add_option("--password", inbox.password);
  inbox_cmd->add_option("--requests", inbox.requests)->check(CLI::Range(1, 100000));
  inbox_cmd->add_option("--pages", inbox.pages)->check(CLI::Range(1, 1000));
  inbox_cmd->add_option("--span-days", inbox.span_days);

  LongChatOptions long_chat;
  auto* lc_cmd = cli.add_subcommand(
      "long-chat", "One conversation of N messages, then an agent reconnecting with after_seq 0: time to full replay");
  add_common(lc_cmd, long_chat.common);
  lc_cmd->add_option("--messages", long_chat.messages, "Messages in the conversation")
      ->check(CLI::Range(1LL, 100000000LL));
  lc_cmd->add_option("--window", long_chat.window, "Unacknowledged messages per side while filling")
      ->check(CLI::Range(1, 10000));
  lc_cmd->add_option("--body-bytes", long_chat.body_bytes)->check(CLI::Range(1, 4000));
  lc_cmd->add_option("--agent-email", long_chat.agent_email, "The agent (must exist; the only one online)");
  lc_cmd->add_option("--agent-password", long_chat.agent_password);
  lc_cmd->add_option("--rss-interval", long_chat.rss_interval_s, "Sample server RSS every S seconds")
      ->check(CLI::Range(0.001, 60.0));
  lc_cmd->add_option("--settle", long_chat.settle_s, "Seconds between the fill and the replay");
  lc_cmd->add_option("--fill-timeout", long_chat.fill_timeout_s);
  lc_cmd->add_option("--replay-timeout", long_chat.replay_timeout_s);

  std::string dir = "bench/results", profile = "short", summary_out;
  auto* report_cmd = cli.add_subcommand("report", "Combine a run's results into the budget table");
  report_cmd->add_option("--dir", dir, "Directory of the result files");
  report_cmd->add_option("--profile", profile);
  report_cmd->add_option("--out", summary_out, "Write the report JSON here");

  CLI11_PARSE(cli, argc, argv);

  try {
    for (const auto* c : {&idle.common, &chat.common, &inbox.common, &failover.common, &long_chat.common}) {
      if (!loopback(c->target.host)) {
        std::cerr << "parley-loadgen: only loopback targets (127.0.0.0/8)\n";
        return 2;
      }
    }
    if (idle_cmd->parsed()) return run_idle(idle);
    if (tp_cmd->parsed()) {
      chat.mode = "throughput";
      return run_chat(chat);
    }
    if (lat_cmd->parsed()) {
      chat.mode = "latency";
      return run_chat(chat);
    }
    if (storm_cmd->parsed()) {
      chat.mode = "login-storm";
      return run_chat(chat);
    }
    if (inbox_cmd->parsed()) return run_inbox(inbox);
    if (lc_cmd->parsed()) return run_long_chat(long_chat);
    if (fo_cmd->parsed()) return run_failover(failover);
    if (report_cmd->parsed()) {
      auto results = load_results(dir);
      auto report = build_report(results, profile);
      if (!summary_out.empty()) write_json_file(summary_out, report);
      std::cout << markdown_table(report);
      return 0;
    }
  } catch (const std::exception& e) {
    std::cerr << "parley-loadgen: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
