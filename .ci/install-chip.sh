#!/usr/bin/env bash
# PC/SC for the chip tests: Debian's pcscd with vsmartcard's virtual reader driver (vpcd), into
# which the tests plug the software card over TCP (127.0.0.1:35963), and libpcsclite for the
# pcsc-mini binding. Starts pcscd when it is not running and waits for vpcd's port.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
if ! command -v pcscd >/dev/null || [ ! -f /usr/lib/pcsc/drivers/serial/libifdvpcd.so ] || [ ! -e /usr/lib/x86_64-linux-gnu/libpcsclite.so ]; then
  apt-get update -qq
  apt-get install -y -qq pcscd vsmartcard-vpcd libpcsclite-dev >/dev/null
fi
vpcd_up() { (exec 3<>/dev/tcp/127.0.0.1/35963) 2>/dev/null; }
if ! pgrep -x pcscd >/dev/null; then
  mkdir -p /run/pcscd
  pcscd
fi
for _ in $(seq 1 30); do vpcd_up && break; sleep 1; done
if ! vpcd_up; then echo "pcscd is running but vpcd does not listen on 35963" >&2; exit 1; fi
echo "chip: pcscd $(pcscd --version 2>/dev/null | head -1 | awk '{print $NF}') with vpcd on 127.0.0.1:35963"
