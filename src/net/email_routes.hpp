// The REST routes of email (docs/api.md, "Email follow-up"):
//   GET  /api/v1/admin/email                        the SMTP setting (admins; never the password)
//   PUT  /api/v1/admin/email                        change it (omitted fields kept)
//   POST /api/v1/admin/email/test                   a test email to the admin's own address
//   GET  /api/v1/email                              {configured}: any agent (the Inbox's buttons)
//   POST /api/v1/conversations/{id}/followup/email  the claimer emails the transcript or a reply
// Handlers run on the REST worker pool (net/server), so the SMTP dialogue never holds an
// I/O thread.
#pragma once

#include "net/route_table.hpp"

namespace parley::net {

void add_email_routes(RouteTable& table);

}  // namespace parley::net
