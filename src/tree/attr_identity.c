/* SPDX-License-Identifier: GPL-3.0-or-later */
/* vendor, product, revision (INQUIRY) and device. */
#include "discfs/tree.h"

int show_vendor(struct drive *d, char *out, size_t size)
{
	return attr_print(out, size, "%s\n", d->id.vendor);
}

int show_product(struct drive *d, char *out, size_t size)
{
	return attr_print(out, size, "%s\n", d->id.product);
}

int show_revision(struct drive *d, char *out, size_t size)
{
	return attr_print(out, size, "%s\n", d->id.revision);
}

int show_device(struct drive *d, char *out, size_t size)
{
	return attr_print(out, size, "%s\n", d->transport->device);
}
