import type { AgencyKind } from '../agency.ts';

/**
 * Demo agencies and their work units, shared by every service's demo data (identity
 * creates them; the others file employees, letters and applications under them). Codes are X-Road member codes
 * (they never change); region comments give the BPS region code (kode wilayah).
 */
export interface DemoUnit {
  code: string;
  name: string;
  children?: DemoUnit[];
}

export interface DemoAgency {
  code: string;
  name: string;
  kind: AgencyKind;
  parentCode: string | null;
  units: DemoUnit[];
}

const secretariat = (code: string, name: string, bureau: string): DemoUnit => ({
  code,
  name,
  children: [
    { code: `${code}.SDM`, name: `${bureau} Sumber Daya Manusia` },
    { code: `${code}.UMUM`, name: `${bureau} Umum` },
    { code: `${code}.HUKUM`, name: `${bureau} Hukum` },
  ],
});

/** A provincial government's units (organisasi perangkat daerah). */
const provinceUnits: DemoUnit[] = [
  {
    code: 'SETDA',
    name: 'Sekretariat Daerah',
    children: [
      { code: 'SETDA.ORG', name: 'Biro Organisasi' },
      { code: 'SETDA.UMUM', name: 'Biro Umum' },
    ],
  },
  { code: 'BKD', name: 'Badan Kepegawaian Daerah' },
  { code: 'BAPPEDA', name: 'Badan Perencanaan Pembangunan Daerah' },
  { code: 'DISKOMINFO', name: 'Dinas Komunikasi dan Informatika' },
  { code: 'DINKES', name: 'Dinas Kesehatan' },
  { code: 'INSPEKTORAT', name: 'Inspektorat Daerah' },
];

/** A regency's or city's units. */
const localUnits: DemoUnit[] = [
  {
    code: 'SETDA',
    name: 'Sekretariat Daerah',
    children: [
      { code: 'SETDA.ORG', name: 'Bagian Organisasi' },
      { code: 'SETDA.UMUM', name: 'Bagian Umum' },
    ],
  },
  { code: 'BKPSDM', name: 'Badan Kepegawaian dan Pengembangan Sumber Daya Manusia' },
  { code: 'BAPPEDA', name: 'Badan Perencanaan Pembangunan Daerah' },
  { code: 'DISKOMINFO', name: 'Dinas Komunikasi dan Informatika' },
  { code: 'DINKES', name: 'Dinas Kesehatan' },
  { code: 'DISDUKCAPIL', name: 'Dinas Kependudukan dan Pencatatan Sipil' },
  { code: 'INSPEKTORAT', name: 'Inspektorat Daerah' },
];

export const DEMO_AGENCIES: DemoAgency[] = [
  {
    code: 'KEMENPANRB',
    name: 'Kementerian Pendayagunaan Aparatur Negara dan Reformasi Birokrasi',
    kind: 'MINISTRY',
    parentCode: null,
    units: [
      secretariat('SESMEN', 'Sekretariat Kementerian', 'Biro'),
      { code: 'DEP.SDMA', name: 'Deputi Bidang Sumber Daya Manusia Aparatur' },
      { code: 'DEP.RB', name: 'Deputi Bidang Reformasi Birokrasi, Akuntabilitas Aparatur dan Pengawasan' },
      {
        code: 'DEP.KELTAL',
        name: 'Deputi Bidang Kelembagaan dan Tata Laksana',
        children: [{ code: 'ASDEP.SPBE', name: 'Asisten Deputi Transformasi Digital Pemerintah' }],
      },
      { code: 'INSPEKTORAT', name: 'Inspektorat' },
    ],
  },
  {
    code: 'KOMINFO',
    name: 'Kementerian Komunikasi dan Informatika',
    kind: 'MINISTRY',
    parentCode: null,
    units: [
      secretariat('SETJEN', 'Sekretariat Jenderal', 'Biro'),
      {
        code: 'DITJEN.APTIKA',
        name: 'Direktorat Jenderal Aplikasi Informatika',
        children: [{ code: 'DIT.LAIP', name: 'Direktorat Layanan Aplikasi Informatika Pemerintahan' }],
      },
      { code: 'DITJEN.IKP', name: 'Direktorat Jenderal Informasi dan Komunikasi Publik' },
      { code: 'ITJEN', name: 'Inspektorat Jenderal' },
    ],
  },
  {
    code: 'SETNEG',
    name: 'Kementerian Sekretariat Negara',
    kind: 'MINISTRY',
    parentCode: null,
    units: [
      secretariat('SESMEN', 'Sekretariat Kementerian', 'Biro'),
      { code: 'DEP.PUU', name: 'Deputi Bidang Perundang-undangan dan Administrasi Hukum' },
      { code: 'DEP.APARATUR', name: 'Deputi Bidang Administrasi Aparatur' },
      { code: 'INSPEKTORAT', name: 'Inspektorat' },
    ],
  },
  {
    code: 'BKN',
    name: 'Badan Kepegawaian Negara',
    kind: 'AGENCY',
    parentCode: null,
    units: [
      secretariat('SETTAMA', 'Sekretariat Utama', 'Biro'),
      { code: 'DEP.MUTASI', name: 'Deputi Bidang Mutasi Kepegawaian' },
      { code: 'DEP.SINKA', name: 'Deputi Bidang Sistem Informasi Kepegawaian' },
      { code: 'INSPEKTORAT', name: 'Inspektorat' },
    ],
  },
  // Provinces first: regencies and cities name them as parents. BPS codes 33, 35, 34.
  { code: 'PROV-JATENG', name: 'Provinsi Jawa Tengah', kind: 'PROVINCE', parentCode: null, units: provinceUnits },
  { code: 'PROV-JATIM', name: 'Provinsi Jawa Timur', kind: 'PROVINCE', parentCode: null, units: provinceUnits },
  { code: 'PROV-DIY', name: 'Provinsi Daerah Istimewa Yogyakarta', kind: 'PROVINCE', parentCode: null, units: provinceUnits },
  // BPS 3510: the SPBE role model that integrated its departments' systems.
  { code: 'KAB-BANYUWANGI', name: 'Kabupaten Banyuwangi', kind: 'REGENCY', parentCode: 'PROV-JATIM', units: localUnits },
  { code: 'KAB-BOJONEGORO', name: 'Kabupaten Bojonegoro', kind: 'REGENCY', parentCode: 'PROV-JATIM', units: localUnits }, // 3522
  { code: 'KOTA-SURABAYA', name: 'Kota Surabaya', kind: 'CITY', parentCode: 'PROV-JATIM', units: localUnits }, // 3578
  { code: 'KOTA-YOGYAKARTA', name: 'Kota Yogyakarta', kind: 'CITY', parentCode: 'PROV-DIY', units: localUnits }, // 3471
];

/** Every unit of a demo agency, parents before children. */
export function flattenUnits(units: readonly DemoUnit[], parentCode: string | null = null): { code: string; name: string; parentCode: string | null }[] {
  return units.flatMap((unit) => [{ code: unit.code, name: unit.name, parentCode }, ...flattenUnits(unit.children ?? [], unit.code)]);
}
