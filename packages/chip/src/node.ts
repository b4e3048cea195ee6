// Node-only adapters of @smart-citizen/chip (filled in by the PC/SC work).
export {};
