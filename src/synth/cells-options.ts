// The options of syntheticCells, in a module of their own so that its phases can read them.

export interface SyntheticCellsOptions {
  /** @default 512 */
  width?: number;
  /** @default 512 */
  height?: number;
  /** Cells to place (fewer when they do not fit). @default 40 */
  cells?: number;
  /** Typical nucleus diameter in pixels; single nuclei vary about ±25 % around it. @default 18 */
  nucleusDiameterPx?: number;
  /** Physical pixel size written into the stack. @default 0.65 */
  pixelSizeUm?: number;
  /** @default 1 */
  seed?: number;
  /**
   * Fraction of nuclei drawn dim, at 25–40 % of the usual DNA brightness (weakly stained or
   * slightly out-of-focus nuclei: the ones a global threshold tends to miss). @default 0.15
   */
  dimNucleusFraction?: number;
  /**
   * Fraction of nuclei with one to three dark holes inside (nucleoli, weakly stained spots),
   * down to 20–50 % of the surrounding chromatin. They stay part of the nucleus in the ground
   * truth. @default 0.3
   */
  nucleusHoleFraction?: number;
  /**
   * Fraction of cells placed with their nucleus touching a neighbour's (0–1 px apart), as after
   * a division: the nuclei must be split apart. @default 0.1
   */
  touchingNucleusFraction?: number;
  /**
   * Fraction of cells placed in colonies, next to a cell already there (sharing borders), the
   * rest anywhere. @default 0.6
   */
  clustering?: number;
  /**
   * Fraction of cells bright in the `signal` channel, like mitotic PH3-positive cells: the signal
   * is nuclear and ~30× the other cells', their chromatin is condensed (a smaller, brighter
   * nucleus) and the cell rounds up (small, round, bright in the cytoplasm stain). The other
   * cells carry a low nuclear signal. @default 0.05
   */
  brightSignalFraction?: number;
  /**
   * How irregular cell outlines are: the amplitude of random harmonics (2nd–9th) of the cell's
   * radius, which make lobed, non-convex cells; 0 gives round cells clipped by their
   * neighbours. @default 1
   */
  cellIrregularity?: number;
  /**
   * What the `cytoplasm` channel stains. `cortical`: actin-like, brightest in a thin cortex at
   * the cell edge (a bright seam between touching cells) with stress fibres inside. `diffuse`: a
   * cytoplasm-filling stain (CellMask- or tubulin-like), brightest around the nucleus and fading
   * towards the cell edge (a dim valley between touching cells). Both are dimmer over the nucleus.
   * @default 'cortical'
   */
  cytoplasmStain?: 'cortical' | 'diffuse';
  /**
   * Uneven illumination: the relative drop of the excitation from the optical centre to the
   * farthest corner (vignetting), plus a gradient across the field a third as strong; 0 = flat.
   * @default 0.35
   */
  illuminationFalloff?: number;
  /** Camera offset (digital units added to every pixel). @default 100 */
  cameraOffset?: number;
  /**
   * Digital units per detected photon: the shot noise of a signal `s` has variance `gain · s`
   * (Poisson statistics); 0 = no shot noise. @default 2
   */
  gain?: number;
  /** Camera read noise, σ in digital units, on every pixel. @default 6 */
  readNoise?: number;
  /** σ (px) of the Gaussian point-spread function blurring the stained structures. @default 0.8 */
  blurPx?: number;
  /**
   * σ of the log-normal spread of nucleus sizes within the image (clipped at ±2.5σ); by default
   * sizes vary by σ 0.14, clipped to 0.75–1.3× the typical diameter.
   */
  nucleusSizeSpread?: number;
  /**
   * Fraction of nuclei with lobes (strong 2nd–4th harmonics of the outline), as in neutrophils
   * or deformed nuclei. @default 0
   */
  lobedNucleusFraction?: number;
  /**
   * Fraction of cells whose nucleus is not stained (out of the focal plane, or enucleated):
   * no DNA signal and no nucleus label; the cell keeps its label. @default 0
   */
  unstainedNucleusFraction?: number;
  /** Multiplies every stain before exposure: below 1 a dimmer, noisier image. @default 1 */
  brightness?: number;
  /**
   * DNA brightness of mitotic (condensed) nuclei relative to interphase ones; in 8-bit images
   * they are often saturated. @default 1.6
   */
  mitoticBrightness?: number;
  /**
   * Fraction of nuclei drawn tiny and faint: 0.3–0.6× the typical diameter at 10–50 % of the
   * usual DNA brightness (micronuclei, apoptotic bodies, small out-of-plane nuclei). They are
   * labelled. @default 0
   */
  tinyNucleusFraction?: number;
  /**
   * How far touching nuclei press into each other: up to this fraction of the smaller radius,
   * their shared border flattened, with a faint dip (0–50 %) along it; 0 sets them side by side
   * without sharing a pixel. @default 0
   */
  touchingOverlap?: number;
  /** Whether touching nuclei may form chains and clumps of three or more. @default false */
  touchingClusters?: boolean;
  /** Smallest distance (px) from a cell's centre to the image edge; nuclei closer are cut off. @default the nucleus diameter */
  edgeMarginPx?: number;
}
