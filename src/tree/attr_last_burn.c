/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * driveN/last_burn/log.csv and graph.svg: the last burn's samples
 * (burn_log.h) as a table and as a plot of planned and achieved speed and
 * both buffer fills against the disc position.  The SVG is SVG 1.1 with
 * nothing but lines and text, so any browser or file manager draws it.
 */
#include <stdlib.h>

#include "attr.h"
#include "discfs/burn_log.h"

#define SVG_WIDTH 800
#define SVG_HEIGHT 400
#define PLOT_LEFT 70
#define PLOT_RIGHT 730
#define PLOT_TOP 40
#define PLOT_BOTTOM 340
#define SVG_MAX_POINTS 800	/* about one per pixel column */

int render_last_burn_csv(struct drive *d, struct text_buf *out)
{
	struct burn_sample *s;
	struct burn_log_info info;
	int rc = burn_log_copy(drive_burn(d), &s, &info);

	if (rc)
		return rc;
	text_printf(out, "time_s,lba,planned_sps,achieved_sps,host_buffer_used,host_buffer_size,"
			 "drive_buffer_used,drive_buffer_size\n");
	for (size_t i = 0; i < info.count; i++)
		text_printf(out, "%.6f,%u,%.1f,%.1f,%llu,%llu,%u,%u\n", (double)s[i].t_ns / 1e9, s[i].lba,
			    s[i].planned_sps, s[i].achieved_sps, (unsigned long long)s[i].host_used,
			    (unsigned long long)info.host_size, s[i].drive_used, info.drive_size);
	free(s);
	return 0;
}

struct plot {
	const struct burn_log_info *info;
	double max_sps;
};

static double plot_x(const struct plot *p, uint32_t lba)
{
	double span = p->info->end_lba > p->info->start_lba ? p->info->end_lba - p->info->start_lba : 1;

	return PLOT_LEFT + (PLOT_RIGHT - PLOT_LEFT) * ((double)(lba - p->info->start_lba) / span);
}

/* value of full, 0..1, bottom to top. */
static double plot_y(double value, double full)
{
	double f = full > 0 ? value / full : 0;

	return PLOT_BOTTOM - (PLOT_BOTTOM - PLOT_TOP) * (f > 1 ? 1 : f);
}

static double sample_value(const struct burn_sample *s, const struct burn_log_info *info, int series)
{
	switch (series) {
	case 0:
		return s->planned_sps;
	case 1:
		return s->achieved_sps;
	case 2:
		return info->host_size ? (double)s->host_used / (double)info->host_size : 0;
	default:
		return info->drive_size ? (double)s->drive_used / info->drive_size : 0;
	}
}

static void polyline(struct text_buf *out, const struct plot *p, const struct burn_sample *s, int series,
		     const char *style)
{
	size_t step = p->info->count / SVG_MAX_POINTS + 1;

	text_printf(out, "<polyline fill=\"none\" %s points=\"", style);
	for (size_t i = 0; i < p->info->count; i += step) {
		double v = sample_value(&s[i], p->info, series);

		text_printf(out, "%s%.1f,%.1f", i ? " " : "", plot_x(p, s[i].lba),
			    plot_y(v, series < 2 ? p->max_sps : 1));
	}
	text_printf(out, "\"/>\n");
}

static void axes(struct text_buf *out, const struct plot *p, unsigned drive)
{
	text_printf(out, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n", SVG_WIDTH, SVG_HEIGHT);
	text_printf(out, "<text x=\"%d\" y=\"24\" font-size=\"16\">drive%u: last burn</text>\n", PLOT_LEFT, drive);
	text_printf(out, "<path d=\"M%d %dV%dH%dV%d\" fill=\"none\" stroke=\"black\"/>\n", PLOT_LEFT, PLOT_TOP,
		    PLOT_BOTTOM, PLOT_RIGHT, PLOT_TOP);
	text_printf(out, "<g font-size=\"12\">\n");
	text_printf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">LBA %u</text>\n", PLOT_LEFT,
		    PLOT_BOTTOM + 16, p->info->start_lba);
	text_printf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">LBA %u</text>\n", PLOT_RIGHT,
		    PLOT_BOTTOM + 16, p->info->end_lba);
	text_printf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">disc position</text>\n",
		    (PLOT_LEFT + PLOT_RIGHT) / 2, PLOT_BOTTOM + 16);
	text_printf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%.0f</text>\n", PLOT_LEFT - 4, PLOT_TOP + 4,
		    p->max_sps);
	text_printf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>\n", PLOT_LEFT - 4, PLOT_BOTTOM);
	text_printf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">sectors/s</text>\n", PLOT_LEFT - 4,
		    (PLOT_TOP + PLOT_BOTTOM) / 2);
	text_printf(out, "<text x=\"%d\" y=\"%d\">100 %%</text>\n", PLOT_RIGHT + 4, PLOT_TOP + 4);
	text_printf(out, "<text x=\"%d\" y=\"%d\">0 %%</text>\n", PLOT_RIGHT + 4, PLOT_BOTTOM);
	text_printf(out, "<text x=\"%d\" y=\"%d\">buffers</text>\n", PLOT_RIGHT + 4, (PLOT_TOP + PLOT_BOTTOM) / 2);
	text_printf(out, "<text x=\"%d\" y=\"385\" fill=\"#888\">planned speed</text>\n", PLOT_LEFT);
	text_printf(out, "<text x=\"%d\" y=\"385\" fill=\"#1f5fbf\">achieved speed</text>\n", PLOT_LEFT + 140);
	text_printf(out, "<text x=\"%d\" y=\"385\" fill=\"#2a9d2a\">host buffer</text>\n", PLOT_LEFT + 290);
	text_printf(out, "<text x=\"%d\" y=\"385\" fill=\"#d03030\">drive buffer</text>\n", PLOT_LEFT + 420);
	text_printf(out, "</g>\n");
}

int render_last_burn_svg(struct drive *d, struct text_buf *out)
{
	struct burn_sample *s;
	struct burn_log_info info;
	struct plot p = { .info = &info };
	int rc = burn_log_copy(drive_burn(d), &s, &info);

	if (rc)
		return rc;
	for (size_t i = 0; i < info.count; i++) {
		if (s[i].planned_sps > p.max_sps)
			p.max_sps = s[i].planned_sps;
		if (s[i].achieved_sps > p.max_sps)
			p.max_sps = s[i].achieved_sps;
	}
	p.max_sps *= 1.1;
	text_printf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	text_printf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%d\" height=\"%d\" "
			 "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\">\n",
		    SVG_WIDTH, SVG_HEIGHT, SVG_WIDTH, SVG_HEIGHT);
	axes(out, &p, drive_index(d));
	if (info.count) {
		polyline(out, &p, s, 0, "stroke=\"#888\" stroke-dasharray=\"6 4\"");
		polyline(out, &p, s, 1, "stroke=\"#1f5fbf\" stroke-width=\"1.5\"");
		polyline(out, &p, s, 2, "stroke=\"#2a9d2a\"");
		polyline(out, &p, s, 3, "stroke=\"#d03030\"");
	} else {
		text_printf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">no burn yet</text>\n",
			    (PLOT_LEFT + PLOT_RIGHT) / 2, (PLOT_TOP + PLOT_BOTTOM) / 2);
	}
	text_printf(out, "</svg>\n");
	free(s);
	return 0;
}
