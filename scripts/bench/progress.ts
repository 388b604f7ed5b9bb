/** Called by the sections with a progress message (the benchmark prints them on stderr). */
export type Progress = (message: string) => void
