// kec spec reference [-o json|yaml]: every spec field with its type, default and meaning.
import type { Registrar } from './index.ts';
import { formatOf, outputOption } from './flags.ts';
import { emit } from '../../output/emit.ts';
import { specReferenceMarkdown, specReferenceRows } from '../../edgenetwork/reference.ts';

export const registerSpec: Registrar = (program, io, setExit) => {
  const spec = program.command('spec').description('The EdgeNetwork spec');
  spec
    .command('reference')
    .description('Print every spec field with its type, default and meaning (Markdown)')
    .addOption(outputOption())
    .action((o: { output: string[] }) => {
      emit(io, formatOf(o.output), specReferenceRows(), specReferenceMarkdown);
      setExit(0);
    });
};
