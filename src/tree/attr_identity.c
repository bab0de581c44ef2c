/* SPDX-License-Identifier: GPL-3.0-or-later */
/* vendor, product, revision (INQUIRY) and device. */
#include "attr.h"

int show_vendor(struct drive *d, char *out, size_t size)
{
	return attr_print(out, size, "%s\n", drive_identity(d)->vendor);
}

int show_product(struct drive *d, char *out, size_t size)
{
	return attr_print(out, size, "%s\n", drive_identity(d)->product);
}

int show_revision(struct drive *d, char *out, size_t size)
{
	return attr_print(out, size, "%s\n", drive_identity(d)->revision);
}

int show_device(struct drive *d, char *out, size_t size)
{
	return attr_print(out, size, "%s\n", drive_device(d));
}
