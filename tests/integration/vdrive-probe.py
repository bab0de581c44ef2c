#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Pokes /dev/srN the way burning programs do, for t30-vdrive-peers.sh.

  vdrive-probe.py hold DEV            O_EXCL open, prints "held", keeps it until stdin closes
  vdrive-probe.py open DEV [excl]     prints "ok" or the errno name of an O_RDWR|O_NONBLOCK open
  vdrive-probe.py inquiry DEV         SG_IO INQUIRY: "ret status resid vendor|product"
  vdrive-probe.py no-medium DEV       TEST UNIT READY through SG_IO and CDROM_SEND_PACKET on an empty drive
  vdrive-probe.py bad-sgio DEV        SG_IO errors: interface_id 'X', then a 4-byte CDB
  vdrive-probe.py drive-status DEV    CDROM_DRIVE_STATUS
  vdrive-probe.py unit-attention DEV CMD...
                                      opens DEV, runs CMD (a media change), stats the fd and asks
                                      BLKGETSIZE64, then TEST UNIT READY twice: "KEY/ASC KEY/ASC"

ctypes calls libc's ioctl, so LD_PRELOAD sees every call as it sees a C program's.
"""
import ctypes
import errno
import os
import subprocess
import sys

SG_IO = 0x2285
CDROM_SEND_PACKET = 0x5393
CDROM_DRIVE_STATUS = 0x5326
BLKGETSIZE64 = 0x80081272
CDSL_CURRENT = 0x7FFFFFFF
SG_DXFER_NONE = -1
SG_DXFER_FROM_DEV = -3
CGC_DATA_NONE = 3

libc = ctypes.CDLL(None, use_errno=True)
libc.ioctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_void_p]


class SgIoHdr(ctypes.Structure):
    _fields_ = [("interface_id", ctypes.c_int), ("dxfer_direction", ctypes.c_int),
                ("cmd_len", ctypes.c_ubyte), ("mx_sb_len", ctypes.c_ubyte), ("iovec_count", ctypes.c_ushort),
                ("dxfer_len", ctypes.c_uint), ("dxferp", ctypes.c_void_p), ("cmdp", ctypes.c_void_p),
                ("sbp", ctypes.c_void_p), ("timeout", ctypes.c_uint), ("flags", ctypes.c_uint),
                ("pack_id", ctypes.c_int), ("usr_ptr", ctypes.c_void_p), ("status", ctypes.c_ubyte),
                ("masked_status", ctypes.c_ubyte), ("msg_status", ctypes.c_ubyte), ("sb_len_wr", ctypes.c_ubyte),
                ("host_status", ctypes.c_ushort), ("driver_status", ctypes.c_ushort), ("resid", ctypes.c_int),
                ("duration", ctypes.c_uint), ("info", ctypes.c_uint)]


class CdromGenericCommand(ctypes.Structure):
    _fields_ = [("cmd", ctypes.c_ubyte * 12), ("buffer", ctypes.c_void_p), ("buflen", ctypes.c_uint),
                ("stat", ctypes.c_int), ("sense", ctypes.c_void_p), ("data_direction", ctypes.c_ubyte),
                ("quiet", ctypes.c_int), ("timeout", ctypes.c_int), ("reserved", ctypes.c_void_p)]


def ioctl(fd, request, arg):
    ret = libc.ioctl(fd, request, ctypes.cast(ctypes.byref(arg), ctypes.c_void_p) if arg is not None else None)
    return ret, ctypes.get_errno()


def sg_io(fd, cdb, data_len=0, mx_sb_len=32, interface_id=ord("S")):
    cmd = (ctypes.c_ubyte * len(cdb))(*cdb)
    data = ctypes.create_string_buffer(max(data_len, 1))
    sense = ctypes.create_string_buffer(mx_sb_len)
    hdr = SgIoHdr(interface_id=interface_id, dxfer_direction=SG_DXFER_FROM_DEV if data_len else SG_DXFER_NONE,
                  cmd_len=len(cdb), mx_sb_len=mx_sb_len, dxfer_len=data_len,
                  dxferp=ctypes.cast(data, ctypes.c_void_p), cmdp=ctypes.cast(cmd, ctypes.c_void_p),
                  sbp=ctypes.cast(sense, ctypes.c_void_p), timeout=10000)
    ret, err = ioctl(fd, SG_IO, hdr)
    return ret, err, hdr, data.raw[:data_len], sense.raw


def open_drive(dev, exclusive=False):
    return os.open(dev, os.O_RDWR | os.O_NONBLOCK | (os.O_EXCL if exclusive else 0))


def main():
    what, dev = sys.argv[1], sys.argv[2]
    if what == "hold":
        fd = open_drive(dev, exclusive=True)
        print("held", flush=True)
        sys.stdin.read()
        os.close(fd)
    elif what == "open":
        try:
            os.close(open_drive(dev, exclusive=sys.argv[3:] == ["excl"]))
            print("ok")
        except OSError as e:
            print(errno.errorcode[e.errno])
    elif what == "inquiry":
        fd = open_drive(dev)
        ret, _, hdr, data, _ = sg_io(fd, [0x12, 0, 0, 0, 96, 0], 96)
        transferred = 96 - hdr.resid
        print(ret, hdr.status, "resid-ok" if 36 <= transferred <= 96 else "resid-bad",
              data[8:16].decode().strip() + "|" + data[16:32].decode().strip())
    elif what == "no-medium":
        fd = open_drive(dev)
        ret, err, hdr, _, sense = sg_io(fd, [0, 0, 0, 0, 0, 0], mx_sb_len=16)
        print("sg_io ret=%d status=%d masked=%d driver=%d info=%d sb_len_wr=%d asc=%02X" %
              (ret, hdr.status, hdr.masked_status, hdr.driver_status, hdr.info, hdr.sb_len_wr, sense[12]))
        sense = ctypes.create_string_buffer(64)
        cgc = CdromGenericCommand(data_direction=CGC_DATA_NONE, sense=ctypes.cast(sense, ctypes.c_void_p))
        ret, err = ioctl(fd, CDROM_SEND_PACKET, cgc)
        print("send_packet ret=%d errno=%s asc=%02X additional_len_nonzero=%s" %
              (ret, errno.errorcode.get(err, err) if ret else "-", sense.raw[12], sense.raw[7] != 0))
    elif what == "bad-sgio":
        fd = open_drive(dev)
        ret, err, _, _, _ = sg_io(fd, [0, 0, 0, 0, 0, 0], interface_id=ord("X"))
        print(ret, errno.errorcode.get(err, err), end=" ")
        ret, err, _, _, _ = sg_io(fd, [0, 0, 0, 0])
        print(ret, errno.errorcode.get(err, err))
    elif what == "drive-status":
        fd = os.open(dev, os.O_RDONLY | os.O_NONBLOCK)
        print(libc.ioctl(fd, CDROM_DRIVE_STATUS, CDSL_CURRENT))
    elif what == "unit-attention":
        fd = open_drive(dev)
        subprocess.run(sys.argv[3:], check=True, stdout=subprocess.DEVNULL,
                       env={k: v for k, v in os.environ.items() if k != "LD_PRELOAD"})
        # Neither sends a command on Linux, so neither may take the unit attention.
        os.fstat(fd)
        size = ctypes.c_uint64()
        ioctl(fd, BLKGETSIZE64, size)
        answers = []
        for _ in range(2):
            _, _, hdr, _, sense = sg_io(fd, [0, 0, 0, 0, 0, 0], mx_sb_len=18)
            answers.append("%X/%02X" % (sense[2] & 0x0F, sense[12]) if hdr.status else "0/00")
        print(" ".join(answers))
    else:
        sys.exit("unknown probe " + what)


if __name__ == "__main__":
    main()
