// The follow-up email as SMTP carries it (core/mail_message, core/followup_email,
// core/smtp_settings): RFC 5322 headers, RFC 2047 encoded words, quoted-printable, dot-stuffing,
// and header injection refused — a visitor's name or an agent's words never add a header.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/followup_email.hpp"
#include "core/mail_message.hpp"
#include "core/smtp_settings.hpp"

namespace parley::core {
namespace {

// The header lines of a formatted message (continuation lines joined), up to the blank line.
std::vector<std::string> header_lines(const std::string& data) {
  std::vector<std::string> out;
  std::size_t i = 0;
  for (;;) {
    auto end = data.find("\r\n", i);
    std::string line = data.substr(i, end - i);
    i = end + 2;
    if (line.empty()) break;
    if (line[0] == ' ' || line[0] == '\t') {
      out.back() += line;
    } else {
      out.push_back(line);
    }
  }
  return out;
}

std::string body_of(const std::string& data) { return data.substr(data.find("\r\n\r\n") + 4); }

MailMessage sample() {
  MailMessage m;
  m.from = {"Acme Support", "support@acme.test"};
  m.to = {"Vera Visitor", "vera@example.com"};
  m.subject = "Transcript of your chat with Acme Support";
  m.body = "Hello Vera,\nhere it is.\n";
  m.date = 1796577857000;  // 2026-12-06 17:24:17 UTC, a Sunday
  m.message_id = "abc-123_x@acme.test";
  return m;
}

TEST(MailMessage, HasTheHeadersOfAPlainTextUtf8Message) {
  auto data = format_mail(sample());
  ASSERT_TRUE(data) << data.error().message;
  EXPECT_EQ((std::vector<std::string>{
                "Date: Sun, 06 Dec 2026 17:24:17 +0000",
                "Message-ID: <abc-123_x@acme.test>",
                "From: \"Acme Support\" <support@acme.test>",
                "To: \"Vera Visitor\" <vera@example.com>",
                "Subject: Transcript of your chat with Acme Support",
                "MIME-Version: 1.0",
                "Content-Type: text/plain; charset=UTF-8",
                "Content-Transfer-Encoding: quoted-printable",
            }),
            header_lines(*data));
  EXPECT_EQ("Hello Vera,\r\nhere it is.\r\n\r\n", body_of(*data));
  // Every line ends in CRLF: no bare LF anywhere.
  for (std::size_t i = 0; i < data->size(); ++i) {
    if ((*data)[i] == '\n') {
      EXPECT_EQ('\r', (*data)[i - 1]) << i;
    }
  }
}

TEST(MailMessage, NonAsciiNamesAndSubjectsAreEncodedWords) {
  auto m = sample();
  m.from.name = "Kundtjänst Åre";
  m.to.name = "Märta Öberg";
  m.subject = "Utskrift av din chatt med Kundtjänst Åre";
  auto lines = header_lines(*format_mail(m));
  EXPECT_EQ("From: =?UTF-8?B?S3VuZHRqw6Ruc3Qgw4VyZQ==?= <support@acme.test>", lines[2]);
  EXPECT_EQ("To: =?UTF-8?B?TcOkcnRhIMOWYmVyZw==?= <vera@example.com>", lines[3]);
  EXPECT_EQ("Subject: =?UTF-8?B?VXRza3JpZnQgYXYgZGluIGNoYXR0IG1lZCBLdW5kdGrDpG5zdCDDhXJl?=", lines[4]);
}

TEST(MailMessage, LongEncodedWordsAreSplitOnCharactersAndFolded) {
  std::string subject;
  for (int i = 0; i < 40; ++i) subject += "å";  // 80 bytes, 2 each
  auto words = encoded_words(subject);
  // Two words on two lines, each at most 75 characters, each decoding to whole characters.
  auto fold = words.find("\r\n ");
  ASSERT_NE(std::string::npos, fold);
  EXPECT_LE(fold, 75u);
  EXPECT_LE(words.size() - fold - 3, 75u);
  EXPECT_EQ("=?UTF-8?B?" + base64(subject.substr(0, 44)) + "?=", words.substr(0, fold));
  EXPECT_EQ("=?UTF-8?B?" + base64(subject.substr(44)) + "?=", words.substr(fold + 3));
}

TEST(MailMessage, QuotesAndBackslashesInANameAreEscaped) {
  EXPECT_EQ(R"("Ann \"The Fixer\" O\\Neil" <ann@acme.test>)",
            format_address({"Ann \"The Fixer\" O\\Neil", "ann@acme.test"}));
  EXPECT_EQ("ann@acme.test", format_address({"", "ann@acme.test"}));
}

TEST(MailMessage, ANameWithLineBreaksNeverAddsAHeader) {
  auto m = sample();
  m.to.name = "Vera\r\nBcc: victim@evil.test\r\n";
  m.from.name = "Acme\nX-Injected: yes";
  m.subject = "Hi\r\n\r\nBody injected\rBcc: x@evil.test";
  auto data = format_mail(m);
  ASSERT_TRUE(data);
  auto lines = header_lines(*data);
  ASSERT_EQ(8u, lines.size()) << *data;
  for (const auto& l : lines) {
    EXPECT_FALSE(l.starts_with("Bcc")) << l;
    EXPECT_FALSE(l.starts_with("X-Injected")) << l;
  }
  EXPECT_EQ("To: \"Vera Bcc: victim@evil.test\" <vera@example.com>", lines[3]);
  EXPECT_EQ("From: \"Acme X-Injected: yes\" <support@acme.test>", lines[2]);
  EXPECT_EQ("Subject: Hi Body injected Bcc: x@evil.test", lines[4]);
  // A control character of any kind becomes a space too (tab, NUL, DEL, ESC).
  EXPECT_EQ("a b c d e", header_text(std::string("a\tb\0c\x7f" "d\x1b" "e", 9)));
}

TEST(MailMessage, AnAddressThatIsNotPlainIsRefusedNotRepaired) {
  for (const char* bad : {"vera@example.com\r\nBcc: x@evil.test", "vera@example.com>, <x@evil.test",
                          "Vera <vera@example.com>", "vera @example.com", "\"v\"@example.com",
                          "vera@example", "vera@@example.com", "@example.com", "vera@exa mple.com",
                          "vera@example.com\n", "vera..x@example.com", "v(comment)@example.com"}) {
    EXPECT_FALSE(is_mail_address(bad)) << bad;
    auto m = sample();
    m.to.address = bad;
    auto data = format_mail(m);
    ASSERT_FALSE(data) << bad;
    EXPECT_EQ(ErrorCode::bad_request, data.error().code);
  }
  for (const char* good : {"vera@example.com", "v.e+tag@sub.example.co.uk", "o'neil@example.ie"}) {
    EXPECT_TRUE(is_mail_address(good)) << good;
  }
  auto m = sample();
  m.message_id = "x>\r\nBcc: y@evil.test";
  EXPECT_FALSE(format_mail(m));
}

TEST(MailMessage, TheBodyIsQuotedPrintable) {
  // UTF-8 and '=' encoded; a trailing space kept as =20; long lines broken softly at 76.
  EXPECT_EQ("Hej M=C3=A4rta, 1+1=3D2 =20\r\nnext", quoted_printable("Hej Märta, 1+1=2  \nnext"));
  std::string long_line(200, 'x');
  auto qp = quoted_printable(long_line);
  std::size_t start = 0, total = 0;
  for (;;) {
    auto end = qp.find("\r\n", start);
    auto line = qp.substr(start, end == std::string::npos ? std::string::npos : end - start);
    EXPECT_LE(line.size(), 76u);
    total += line.size() - (line.ends_with("=") ? 1 : 0);
    if (end == std::string::npos) break;
    start = end + 2;
  }
  EXPECT_EQ(200u, total);
  EXPECT_EQ("a\r\nb\r\nc\r\n", quoted_printable("a\r\nb\rc\n"));
}

TEST(MailMessage, DotStuffingDoublesALeadingDotAndEndsInCrlf) {
  EXPECT_EQ("..\r\n..hidden\r\nnot.first\r\n", dot_stuffed(".\n.hidden\r\nnot.first"));
  EXPECT_EQ("a\r\n", dot_stuffed("a\r\n"));
  // A body line of a lone "." cannot end the DATA early.
  auto m = sample();
  m.body = "one\n.\ntwo";
  auto stuffed = dot_stuffed(*format_mail(m));
  EXPECT_EQ(std::string::npos, stuffed.find("\r\n.\r\n"));
  EXPECT_NE(std::string::npos, stuffed.find("\r\n..\r\n"));
}

TEST(MailMessage, DatesAreRfc5322InUtc) {
  EXPECT_EQ("Thu, 01 Jan 1970 00:00:00 +0000", rfc5322_date(0));
  EXPECT_EQ("Tue, 29 Feb 2028 23:59:59 +0000", rfc5322_date(1835481599999));
}

TEST(FollowupEmail, TextsInTheVisitorsLanguage) {
  FollowupEmailInput in;
  in.kind = FollowupEmailKind::transcript;
  in.transcript = "Parley transcript of conversation #7\n";
  in.visitor_name = "Vera";
  in.agent_name = "Ann Agent";
  in.team_name = "Acme Support";
  auto en = followup_email_text(in);
  EXPECT_EQ("Transcript of your chat with Acme Support", en.subject);
  EXPECT_TRUE(en.body.starts_with("Hello Vera,\n")) << en.body;
  EXPECT_NE(std::string::npos, en.body.find("Parley transcript of conversation #7"));
  EXPECT_NE(std::string::npos, en.body.find("Ann Agent\nAcme Support"));
  in.language = Language::sv;
  auto sv = followup_email_text(in);
  EXPECT_EQ("Utskrift av din chatt med Acme Support", sv.subject);
  EXPECT_TRUE(sv.body.starts_with("Hej Vera!\n")) << sv.body;

  in.kind = FollowupEmailKind::reply;
  in.reply = "Yes, we ship to Norway.";
  in.transcript.reset();
  in.language = Language::en;
  auto reply = followup_email_text(in);
  EXPECT_EQ("Reply to your message to Acme Support", reply.subject);
  EXPECT_TRUE(reply.body.starts_with("Yes, we ship to Norway.\n\n-- \nAnn Agent")) << reply.body;
  EXPECT_EQ(std::string::npos, reply.body.find("transcript"));
  in.transcript = "Parley transcript of conversation #7\n";
  EXPECT_NE(std::string::npos, followup_email_text(in).body.find("Your chat with us:\n\nParley transcript"));
}

TEST(FollowupEmail, AReplyMustHaveText) {
  EXPECT_EQ(ErrorCode::bad_request, validate_reply_body("  \n ").error().code);
  EXPECT_EQ(ErrorCode::payload_too_large,
            validate_reply_body(std::string(kMaxReplyBytes + 1, 'a')).error().code);
  EXPECT_EQ(ErrorCode::bad_request, validate_reply_body("\xff\xfe").error().code);
  EXPECT_EQ("Thanks!", *validate_reply_body("  Thanks!\n"));
  EXPECT_EQ(FollowupEmailKind::reply, followup_email_kind_of("reply"));
  EXPECT_FALSE(followup_email_kind_of("fax"));
}

TEST(SmtpSettings, AnEmptyHostIsOffAndTheRestIsChecked) {
  SmtpSettings s;
  EXPECT_TRUE(validate_smtp_settings(s));
  EXPECT_FALSE(s.configured());
  s.host = "smtp.acme.test";
  EXPECT_FALSE(validate_smtp_settings(s));  // no sender address
  s.from_address = "support@acme.test";
  EXPECT_TRUE(validate_smtp_settings(s));
  EXPECT_TRUE(s.configured());
  for (auto change : std::vector<void (*)(SmtpSettings&)>{
           [](SmtpSettings& x) { x.host = "smtp://acme.test"; },
           [](SmtpSettings& x) { x.host = "acme.test\r\nRCPT TO:<x@evil.test>"; },
           [](SmtpSettings& x) { x.port = 0; },
           [](SmtpSettings& x) { x.port = 65536; },
           [](SmtpSettings& x) { x.user = "ann\r\nMAIL FROM:<x@evil.test>"; },
           [](SmtpSettings& x) { x.password = std::string("a\0b", 3); },
           [](SmtpSettings& x) { x.from_address = "Support <support@acme.test>"; },
           [](SmtpSettings& x) { x.from_name = "Acme\nBcc: x@evil.test"; },
       }) {
    auto bad = s;
    change(bad);
    auto ok = validate_smtp_settings(bad);
    EXPECT_FALSE(ok);
    if (!ok) {
      EXPECT_EQ(ErrorCode::bad_request, ok.error().code);
    }
  }
  EXPECT_EQ(SmtpSecurity::tls, smtp_security_of("tls"));
  EXPECT_FALSE(smtp_security_of("ssl"));
  EXPECT_TRUE(validate_smtp_settings({"10.0.0.5", 25, SmtpSecurity::none, "", "", "a@b.test", ""}));
  EXPECT_TRUE(validate_smtp_settings({"::1", 25, SmtpSecurity::none, "", "", "a@b.test", ""}));
}

}  // namespace
}  // namespace parley::core
