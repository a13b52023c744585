export function startServers(): Promise<{ url: string; fakeUrl: string; stop: () => Promise<void> }>;
