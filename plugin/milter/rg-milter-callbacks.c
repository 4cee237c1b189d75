/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-milter-callbacks.c - libmilter's callbacks, thin: what they receive goes into an
 * RgMilterMessage, and at the end of the message rg_milter_message_decide () says what to
 * do.  libmilter runs each connection in a thread of its own; the shared state (checker
 * snapshot, store, log) is thread-safe.
 *
 * Outgoing is decided per message: the client authenticated ({auth_authen}, sent with MAIL
 * FROM by Postfix's default milter_mail_macros) or connected from organisation-networks
 * (Postfix presents mail from the sendmail command, non_smtpd_milters, as 127.0.0.1).  The
 * envelope sender's domain alone never makes mail outgoing: anyone can write it.
 */
#define G_LOG_DOMAIN "rcptguard-milter"

#include "rg-milter-callbacks.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "rg-milter-message.h"

static RgMilterChecker *the_checker;
static RgMilterStore *the_store;
static RgMilterLog *the_log;

/* The steps whose answer is always "continue": Postfix need not wait for it (one round trip
 * less per recipient and per header). */
#define RG_NO_REPLY_STEPS (SMFIP_NR_CONN | SMFIP_NR_MAIL | SMFIP_NR_RCPT | SMFIP_NR_HDR)

typedef struct {
  unsigned long no_reply;     /* the steps Postfix does not wait for (negotiated) */
  gboolean from_network;      /* the client's address is in organisation-networks */
  char address[INET6_ADDRSTRLEN];
  RgMilterMessage *message;
} Connection;

static Connection *
get_connection (SMFICTX *ctx)
{
  return smfi_getpriv (ctx);
}

/* What a step that goes on answers: nothing when Postfix was told not to wait. */
static sfsistat
go_on (Connection    *connection,
       unsigned long  step)
{
  return (connection->no_reply & step) != 0 ? SMFIS_NOREPLY : SMFIS_CONTINUE;
}

static Connection *
ensure_connection (SMFICTX *ctx)
{
  Connection *connection = smfi_getpriv (ctx);

  if (connection == NULL)
    {
      connection = g_new0 (Connection, 1);
      connection->message = rg_milter_message_new ();
      smfi_setpriv (ctx, connection);
    }
  return connection;
}

static void
format_address (const struct sockaddr *sa,
                char                   out[INET6_ADDRSTRLEN])
{
  out[0] = '\0';
  if (sa == NULL)
    return;
  if (sa->sa_family == AF_INET)
    inet_ntop (AF_INET, &((const struct sockaddr_in *) (const void *) sa)->sin_addr, out,
               INET6_ADDRSTRLEN);
  else if (sa->sa_family == AF_INET6)
    inet_ntop (AF_INET6, &((const struct sockaddr_in6 *) (const void *) sa)->sin6_addr, out,
               INET6_ADDRSTRLEN);
}

static sfsistat
on_connect (SMFICTX         *ctx,
            char            *hostname,
            _SOCK_ADDR      *hostaddr)
{
  Connection *connection = ensure_connection (ctx);
  RgMilterSnapshot *snapshot = rg_milter_checker_acquire (the_checker);

  format_address (hostaddr, connection->address);
  connection->from_network = rg_milter_config_in_networks (snapshot->config,
                                                          connection->address);
  rg_milter_snapshot_release (snapshot);
  return go_on (connection, SMFIP_NR_CONN);
}

static sfsistat
on_envfrom (SMFICTX  *ctx,
            char    **argv)
{
  Connection *connection = get_connection (ctx);
  const char *auth = smfi_getsymval (ctx, (char *) "{auth_authen}");

  if (connection == NULL)
    return SMFIS_TEMPFAIL;
  rg_milter_message_reset (connection->message);
  rg_milter_message_set_outgoing (connection->message,
                                  connection->from_network || (auth != NULL && *auth != '\0'));
  rg_milter_message_set_sender (connection->message, argv != NULL ? argv[0] : NULL);
  return go_on (connection, SMFIP_NR_MAIL);
}

static sfsistat
on_envrcpt (SMFICTX  *ctx,
            char    **argv)
{
  Connection *connection = get_connection (ctx);

  if (connection == NULL)
    return SMFIS_TEMPFAIL;
  if (argv != NULL && argv[0] != NULL)
    rg_milter_message_add_recipient (connection->message, argv[0]);
  return go_on (connection, SMFIP_NR_RCPT);
}

static sfsistat
on_header (SMFICTX *ctx,
           char    *name,
           char    *value)
{
  Connection *connection = get_connection (ctx);

  if (connection == NULL)
    return SMFIS_TEMPFAIL;
  rg_milter_message_add_header (connection->message, name, value);
  return go_on (connection, SMFIP_NR_HDR);
}

static gboolean
is_remembered (const char *sender,
               const char *recipient,
               gpointer    data)
{
  return rg_milter_store_is_remembered (data, sender, recipient, g_get_real_time () /
                                        G_USEC_PER_SEC);
}

static void
learn (RgMilterVerdict *verdict)
{
  g_autoptr (GError) error = NULL;
  guint n_new = 0;

  if (verdict->learn == NULL || verdict->learn->len == 0)
    return;
  if (!rg_milter_store_add_domains (the_store, (const char *const *) verdict->learn->pdata,
                                    NULL, verdict->learn->len, &n_new, &error))
    {
      g_warning ("The recipients' domains could not be learned: %s", error->message);
      return;
    }
  rg_milter_checker_note_learned (the_checker, n_new);
}

static void
remember (const char      *sender,
          RgMilterVerdict *verdict,
          guint            hours)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  (void) rg_milter_store_purge (the_store, now);
  for (guint i = 0; verdict->remember != NULL && i < verdict->remember->len; i++)
    {
      g_autoptr (GError) error = NULL;

      if (!rg_milter_store_remember (the_store, sender, g_ptr_array_index (verdict->remember, i),
                                     now + (gint64) hours * 3600, &error))
        g_warning ("A confirmation could not be remembered: %s", error->message);
    }
}

static sfsistat
on_eom (SMFICTX *ctx)
{
  Connection *connection = get_connection (ctx);
  RgMilterSnapshot *snapshot;
  RgMilterVerdict verdict;
  const char *queue_id;
  sfsistat result = SMFIS_CONTINUE;

  if (connection == NULL)
    return SMFIS_TEMPFAIL;
  snapshot = rg_milter_checker_acquire (the_checker);
  rg_milter_message_decide (connection->message, snapshot->checker, snapshot->config,
                            is_remembered, the_store, &verdict);
  queue_id = smfi_getsymval (ctx, (char *) "i");

  /* The confirmation header never leaves, honoured or not: it names recipients the sender's
   * mail client asked about, which is nobody else's business. */
  for (guint i = rg_milter_message_get_n_confirmed_headers (connection->message); i > 0; i--)
    smfi_chgheader (ctx, (char *) RG_MILTER_CONFIRMED_HEADER, (int) i, NULL);

  switch (verdict.action)
    {
    case RG_MILTER_REJECT:
      remember (rg_milter_message_get_sender (connection->message), &verdict,
                snapshot->config->reject_once_hours);
      smfi_setreply (ctx, (char *) verdict.rcode, (char *) verdict.xcode, verdict.text);
      result = SMFIS_REJECT;
      break;
    case RG_MILTER_TEMPFAIL:
      smfi_setreply (ctx, (char *) verdict.rcode, (char *) verdict.xcode, verdict.text);
      result = SMFIS_TEMPFAIL;
      break;
    case RG_MILTER_HOLD:
      smfi_quarantine (ctx, verdict.hold_reason);
      break;
    case RG_MILTER_ACCEPT:
    default:
      if (verdict.tag != NULL)
        smfi_addheader (ctx, (char *) RG_MILTER_TAG_HEADER, verdict.tag);
      learn (&verdict);
      break;
    }
  rg_milter_log_record (the_log, snapshot->config, &verdict,
                        rg_milter_message_get_sender (connection->message), queue_id);
  rg_milter_verdict_clear (&verdict);
  rg_milter_snapshot_release (snapshot);
  rg_milter_message_reset (connection->message);
  return result;
}

static sfsistat
on_abort (SMFICTX *ctx)
{
  Connection *connection = get_connection (ctx);

  if (connection != NULL)
    rg_milter_message_reset (connection->message);
  return SMFIS_CONTINUE;
}

static sfsistat
on_close (SMFICTX *ctx)
{
  Connection *connection = get_connection (ctx);

  if (connection != NULL)
    {
      rg_milter_message_free (connection->message);
      g_free (connection);
      smfi_setpriv (ctx, NULL);
    }
  return SMFIS_CONTINUE;
}

/* Only what is needed crosses the socket: no body, no HELO, no unknown commands, no end of
 * headers; and Postfix waits only for the answer at the end of the message. */
static sfsistat
on_negotiate (SMFICTX       *ctx,
              unsigned long  f0,
              unsigned long  f1,
              unsigned long  f2,
              unsigned long  f3,
              unsigned long *pf0,
              unsigned long *pf1,
              unsigned long *pf2,
              unsigned long *pf3)
{
  unsigned long wanted = SMFIF_ADDHDRS | SMFIF_CHGHDRS | SMFIF_QUARANTINE;
  Connection *connection = ensure_connection (ctx);

  if ((f0 & wanted) != wanted)
    return SMFIS_REJECT;
  *pf0 = wanted;
  connection->no_reply = f1 & RG_NO_REPLY_STEPS;
  *pf1 = (f1 & (SMFIP_NOBODY | SMFIP_NOHELO | SMFIP_NOUNKNOWN | SMFIP_NODATA | SMFIP_NOEOH))
         | connection->no_reply;
  *pf2 = 0;
  *pf3 = 0;
  return SMFIS_CONTINUE;
}

static struct smfiDesc description = {
  .xxfi_name = (char *) "rcptguard-milter",
  .xxfi_version = SMFI_VERSION,
  .xxfi_flags = SMFIF_ADDHDRS | SMFIF_CHGHDRS | SMFIF_QUARANTINE,
  .xxfi_connect = on_connect,
  .xxfi_envfrom = on_envfrom,
  .xxfi_envrcpt = on_envrcpt,
  .xxfi_header = on_header,
  .xxfi_eom = on_eom,
  .xxfi_abort = on_abort,
  .xxfi_close = on_close,
  .xxfi_negotiate = on_negotiate,
};

struct smfiDesc *
rg_milter_callbacks_get_desc (RgMilterChecker *checker,
                              RgMilterStore   *store,
                              RgMilterLog     *log)
{
  the_checker = checker;
  the_store = store;
  the_log = log;
  return &description;
}
