/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-test-widgets.h - what the tests of the dialog and of the preferences page share:
 * finding widgets in a GTK tree, what assistive technology reads of them, and whether their
 * text is translated.  Include config.h first (GETTEXT_PACKAGE).
 */
#pragma once

#include <glib/gi18n-lib.h>
#include <gtk/gtk.h>

typedef gboolean (*RgTestWidgetPredicate) (GtkWidget *widget, gconstpointer data);

typedef struct
{
  RgTestWidgetPredicate predicate;
  gconstpointer data;
  GPtrArray *found;
} RgTestWidgetSearch;

/* A GtkCallback walking the whole tree, internal children included (a dialog's action area
 * is one). */
static inline void
rg_test_widget_search_cb (GtkWidget *widget,
                          gpointer   user_data)
{
  RgTestWidgetSearch *search = user_data;

  if (search->predicate (widget, search->data))
    g_ptr_array_add (search->found, widget);
  if (GTK_IS_CONTAINER (widget))
    gtk_container_forall (GTK_CONTAINER (widget), rg_test_widget_search_cb, search);
}

/* The descendants of @root (itself included) that @predicate accepts, in tree order. */
static inline GPtrArray *
rg_test_find_widgets (GtkWidget             *root,
                      RgTestWidgetPredicate  predicate,
                      gconstpointer          data)
{
  RgTestWidgetSearch search = { predicate, data, g_ptr_array_new () };

  rg_test_widget_search_cb (root, &search);
  return search.found;
}

static inline const char *
rg_test_accessible_name (GtkWidget *widget)
{
  return atk_object_get_name (gtk_widget_get_accessible (widget));
}

static inline const char *
rg_test_accessible_description (GtkWidget *widget)
{
  return atk_object_get_description (gtk_widget_get_accessible (widget));
}

/* Asserts that @text is @msgid translated in the rcptguard domain, and that there is a
 * translation at all: a string looked up in another domain (Evolution's, inside Evolution)
 * would come out in English. */
static inline void
rg_test_assert_translated (const char *text,
                           const char *context,
                           const char *msgid)
{
  const char *expected = context != NULL ? g_dpgettext2 (GETTEXT_PACKAGE, context, msgid)
                                         : g_dgettext (GETTEXT_PACKAGE, msgid);

  g_assert_cmpstr (expected, !=, msgid);
  g_assert_cmpstr (text, ==, expected);
}
